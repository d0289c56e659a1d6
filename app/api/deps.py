"""Shared dependencies: the app's one Settings object and its store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings
from app.store.networks import Networks


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_networks(request: Request) -> Networks:
    return request.app.state.networks


SettingsDep = Annotated[Settings, Depends(get_settings)]
NetworksDep = Annotated[Networks, Depends(get_networks)]
