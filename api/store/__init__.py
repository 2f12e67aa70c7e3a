"""All SQL of the API lives in this package: the connection, the migrations and one module per
aggregate. The domains call these functions with a `db` handle and never write SQL themselves, so a
PostgreSQL store can follow behind the same functions."""

from .db import Rollback, Store

__all__ = ["Rollback", "Store"]
