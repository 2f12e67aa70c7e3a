"""Life-event reminders, a domain of their own: which reminders are due for a household today
(`due.py`, with the windows of `api.push.windows`; the reminders of life events in `life_events.py`,
the yearly ones in `yearly.py`), their plain Dutch texts with the effect the rules compute
(`texts.py`), and delivery by Web Push or an overview card, at most once (`delivery.py`). The job in
`api/jobs/reminders.py` runs `delivery.run` every quarter of an hour."""
