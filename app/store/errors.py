"""Store failures any backend can have, named for the people who must act on them.

The API answers StoreFull with 507 and StoreUnavailable with 503; StoreStartupError stops
the server before it serves anything (a damaged or unreadable file, a wrong folder).
"""

from __future__ import annotations


class StoreError(Exception):
    """The store could not do what was asked; nothing was changed."""


class StoreFull(StoreError):
    pass


class StoreUnavailable(StoreError):
    pass


class StoreStartupError(StoreError, RuntimeError):
    """The store cannot be opened as it is; the message says what to do."""
