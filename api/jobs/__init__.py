"""Background jobs (income-drift scan, life-event reminders): each a plain function
`run(store, settings) -> dict` that is restartable and idempotent on its own, with a CLI command for
one run, and scheduled inside `python -m api serve` by `schedule.Scheduler`."""
