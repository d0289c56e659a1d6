"""Shared dependencies: the app's one Settings object, its store, and who is asking."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings
from app.store.networks import Networks


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_networks(request: Request) -> Networks:
    return request.app.state.networks


def get_owner(request: Request) -> str | None:
    """The owner a request acts for in shared mode (set by app.api.owners); None locally."""
    if not request.app.state.settings.shared:
        return None
    return request.scope["state"]["owner"]


SettingsDep = Annotated[Settings, Depends(get_settings)]
NetworksDep = Annotated[Networks, Depends(get_networks)]
OwnerDep = Annotated[str | None, Depends(get_owner)]
