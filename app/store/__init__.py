from .base import Backend, is_postgres_url, open_store
from .db import Store
from .networks import Conflict, NotFound, SavedNetwork

__all__ = [
    "Backend",
    "Conflict",
    "NotFound",
    "SavedNetwork",
    "Store",
    "is_postgres_url",
    "open_store",
]
