"""Web Push (issue #7): VAPID keys, subscriptions, reminder settings and sending. The reminders
themselves are worked out by `api.reminders` with the windows in `api.push.windows`."""
