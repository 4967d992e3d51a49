"""Every kind of message the page shows, at 1024×768, 1280×720 and 1920×1080, normal and
presenting: a typed value that is not a number (beside its editor), the server's 422, a
loss that keeps growing, a diverged step (NaN/∞), a busy server's 503 (tried again after its
Retry-After) and weights re-initialised by a structural edit. Each is visible, says what it
should, in its own place (the messages row under the header, or beside the field), and
never over a control: the header's controls do not move, nothing overlaps or is cut."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .layout_checks import OUTSIDE, OVERLAPS, SMALL_TEXT, viewport_pages

VIEWPORTS = {"1024x768": (1024, 768), "1280x720": (1280, 720), "1920x1080": (1920, 1080)}
HEADER_CONTROLS = ("[data-control=preset]", "[data-control=present]", "[data-testid=loss]", "[data-apply]")
ROW = "[data-region=messages]"


def idle(pg):
    expect(pg.locator("[data-region=status][data-pending]")).to_have_count(0)


def open_preset(pg, base_url, preset, presenting):
    pg.goto(f"{base_url}/?preset={preset}" + ("&present" if presenting else ""))
    expect(pg.locator("[data-testid=explain] [data-line=value]")).to_be_visible()
    idle(pg)
    expect(pg.locator(ROW)).to_be_hidden()  # no message yet: the row takes no room


def invalid_typed_value(pg):
    pg.locator('[data-editable="L2W0_0"]').first.click()
    editor = pg.locator('[data-editor="L2W0_0"]')
    editor.fill("0.7x")
    editor.press("Enter")
    hint = pg.locator("[data-editor-hint]")
    expect(hint).to_contain_text("“0.7x” is not a number")
    return hint


def server_422(pg):
    pg.evaluate("() => window.backpropLab.setValue('y:0,0', 5)")  # bce refuses a target outside [0, 1]
    line = pg.locator(f"{ROW} [data-status]")
    expect(line).to_contain_text(re.compile(r"\[0, 1\]"))
    return line


def loss_growing(pg):
    pg.evaluate("() => window.backpropLab.setOptimizer({ lr: 40 })")
    warning = pg.locator(f"{ROW} [data-loss-warning]")
    for _ in range(5):
        idle(pg)
        if warning.is_visible():
            break
        pg.evaluate("() => window.backpropLab.apply()")
    expect(warning).to_contain_text(re.compile(r"grew over the last \d+ updates"))
    return warning


def diverged(pg):
    pg.evaluate("() => window.backpropLab.setValue('W:2,0,0', 1e308)")
    banner = pg.locator(f"{ROW} [data-diverged]")
    expect(banner).to_be_visible()
    expect(pg.locator("[data-testid=loss]")).to_contain_text("∞")
    return banner


def busy_503(pg):
    answered = []

    def once_busy(route):
        if answered:
            route.continue_()
            return
        answered.append(True)
        route.fulfill(status=503, headers={"Retry-After": "1", "content-type": "application/json"},
                      body=json.dumps({"detail": "the server is busy: 16 requests are waiting (queue_limit); try again in a moment"}))

    pg.route("**/api/step", once_busy)
    pg.evaluate("() => window.backpropLab.setValue('W:2,0,0', 0.55)")
    line = pg.locator(f"{ROW} [data-status]")
    expect(line).to_contain_text("the server is busy")
    expect(line).to_contain_text("trying again in 1 s (1 of 3)")
    return line


def after_busy(pg):
    """The retry gets its answer: the message goes and the edit is shown."""
    expect(pg.locator(f"{ROW} [data-status]")).to_have_text("")
    expect(pg.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.55")
    pg.unroute("**/api/step")


def reinitialised(pg):
    pg.evaluate("() => window.backpropLab.removeHiddenLayer()")
    notice = pg.locator(f"{ROW} [data-notice]")
    expect(notice).to_contain_text("re-initialised")
    expect(notice).to_contain_text("Ctrl+Z undoes it")
    return notice


MESSAGES = {
    "a typed value that is not a number": ("lecture", invalid_typed_value, None),
    "the server's 422": ("xor", server_422, None),
    "a growing loss": ("lecture", loss_growing, None),
    "a diverged step": ("lecture", diverged, None),
    "a busy server's 503": ("lecture", busy_503, after_busy),
    "weights re-initialised": ("lecture", reinitialised, None),
}


# The value editor opens over the drawing, on the weight it edits (a popover, by design):
# its field and hint may cover the diagram's labels under them, never a control.
EDITOR = re.compile(r"(input\[data-editor=|span\[data-editor-hint\])")
DIAGRAM = re.compile(r"^g\[data-|overlaps g\[data-")


def check(pg, presenting):
    pg.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    found = [f"outside: {o}" for o in pg.evaluate(OUTSIDE)]
    found += [f"overlapping: {o}" for o in pg.evaluate(OVERLAPS) if not (EDITOR.search(o) and DIAGRAM.search(o))]
    if presenting:
        found += [f"under 24 px: {o}" for o in pg.evaluate(SMALL_TEXT, 24)]
    return found


@pytest.fixture(scope="module")
def pages(browser, server):
    """One page per viewport, reused; the 422 and the 503 are provoked on purpose (the browser logs their status)."""
    yield from viewport_pages(browser, VIEWPORTS, r"\b(422|503)\b")


@pytest.mark.parametrize("mode", ["normal", "present"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_kind_of_message_has_its_place_and_covers_no_control(pages, server, viewport, mode):
    pg = pages(viewport)
    presenting = mode == "present"
    for kind, (preset, show, then) in MESSAGES.items():
        open_preset(pg, server.url, preset, presenting)
        header = pg.locator("header.top").bounding_box()
        before = {hook: pg.locator(hook).bounding_box() for hook in HEADER_CONTROLS}
        message = show(pg)
        expect(message).to_be_visible()
        box = message.bounding_box()
        where = f"{viewport} {mode}: {kind}"
        assert pg.locator("header.top").bounding_box() == header, f"{where} grew the header"
        for hook, was in before.items():
            assert pg.locator(hook).bounding_box() == was, f"{where} moved {hook}"
        if message.evaluate("e => Boolean(e.closest('[data-region=messages]'))"):
            assert box["y"] >= header["y"] + header["height"] - 1, f"{where} is over the header"
        found = check(pg, presenting)
        assert not found, f"{where}:\n  " + "\n  ".join(found[:15])
        if then:
            then(pg)
    assert not pg.errors, pg.errors
