"""Browser fixtures: one real server on a free 127.0.0.1 port for the session, Debian's
Chromium through Playwright, and pages that fail the test on any console error."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from .server import CHROMIUM, CHROMIUM_ARGS, Server

playwright_api = pytest.importorskip("playwright.sync_api")
# Auto-waiting assertions: generous for a loaded CI machine, instant when all is well.
playwright_api.expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def server():
    """The app, started as `python -m app`; its log is printed if it does not start."""
    srv = Server()
    try:
        srv.wait()
    except RuntimeError as err:
        pytest.fail(str(err))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A 1280×720 page on the app; any console error or page error fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    pg.base_url = server.url
    pg.allowed_console = []  # regexes for errors a test provokes on purpose (e.g. a 422)
    yield pg
    context.close()
    unexpected = [e for e in errors if not any(re.search(a, e) for a in pg.allowed_console)]
    assert not unexpected, "\n".join(unexpected)


@pytest.fixture(scope="session")
def api(server):
    """POST /api/step, /api/explain and GET on the same server, as the page's oracle."""

    class Api:
        def get(self, path):
            with urllib.request.urlopen(server.url + path) as r:
                return json.load(r)

        def post(self, path, body):
            req = urllib.request.Request(server.url + path, data=json.dumps(body).encode(),
                                         headers={"content-type": "application/json"})
            with urllib.request.urlopen(req) as r:
                return json.load(r)

        def step(self, body):
            return self.post("/api/step", body)

        def explain(self, body):
            return self.post("/api/explain", body)

    return Api()
