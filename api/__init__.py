"""toeslagen-pwa API: a thin Litestar app over shared_rules and a SQLite store."""
