from .db import Store
from .errors import StoreError, StoreFull, StoreStartupError, StoreUnavailable
from .networks import Conflict, NotFound, SavedNetwork

__all__ = [
    "Conflict",
    "NotFound",
    "SavedNetwork",
    "Store",
    "StoreError",
    "StoreFull",
    "StoreStartupError",
    "StoreUnavailable",
]
