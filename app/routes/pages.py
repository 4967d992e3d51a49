"""The one page: the Jinja2 shell that loads the ES modules."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..main_paths import resource_dir

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resource_dir("templates")))


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The Backprop Lab page."""
    return templates.TemplateResponse(request, "index.html", {"version": __version__})
