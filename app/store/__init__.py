from .base import Backend, is_postgres_url, open_store
from .db import Store
from .errors import StoreError, StoreFull, StoreStartupError, StoreUnavailable
from .networks import Conflict, NotFound, SavedNetwork

__all__ = [
    "Backend",
    "Conflict",
    "NotFound",
    "SavedNetwork",
    "Store",
    "StoreError",
    "StoreFull",
    "StoreStartupError",
    "StoreUnavailable",
    "is_postgres_url",
    "open_store",
]
