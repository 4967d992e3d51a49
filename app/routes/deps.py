"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with (async: a sync dependency costs a thread hop per request)."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
