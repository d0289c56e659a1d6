from .db import Store
from .networks import Conflict, NotFound, SavedNetwork

__all__ = ["Conflict", "NotFound", "SavedNetwork", "Store"]
