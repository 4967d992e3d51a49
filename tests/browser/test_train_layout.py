"""The Train tab at every projector size, normal and presentation, before training and after a
step (its charts drawn): it takes the width the explanation leaves (no empty column beside it),
nothing outside the window, nothing on top of anything, no text under 24 px when presenting."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .layout_checks import viewport_pages
from .test_layout import check

VIEWPORTS = {"1024x768": (1024, 768), "1280x720": (1280, 720), "1920x1080": (1920, 1080)}
STATUS = "[data-train-status]"


@pytest.fixture(scope="module")
def pages(browser, server):
    yield from viewport_pages(browser, VIEWPORTS)


# How much of the width right of the Train view is left blank (the stage's right edge minus the
# view's), and whether the explanation is drawn beside it.
BLANK_RIGHT = """() => {
  const view = document.querySelector('[data-view=train]').getBoundingClientRect();
  const stage = document.querySelector('.stage').getBoundingClientRect();
  const explain = document.querySelector('.explain');
  return { blank: stage.right - view.right, explainShown: getComputedStyle(explain).visibility !== 'hidden' && explain.getBoundingClientRect().width > 1 };
}"""


@pytest.mark.parametrize("mode", ["normal", "present"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_train_tab_uses_the_whole_width_and_fits_the_screen(pages, server, viewport, mode):
    pg = pages(viewport)
    presenting = mode == "present"
    pg.goto(f"{server.url}/?preset=xor&view=train" + ("&present" if presenting else ""))
    expect(pg.locator(STATUS)).to_contain_text("Ready")
    for moment in ("ready", "after a step"):
        if moment == "after a step":
            pg.click("[data-train-control=step]")
            expect(pg.locator(STATUS)).to_contain_text("Paused at step 1")
            expect(pg.locator("[data-chart=loss] [data-series=loss]")).to_have_attribute("data-points", "1")
        room = pg.evaluate(BLANK_RIGHT)
        assert room["blank"] < 2 and not room["explainShown"], f"{viewport} {mode} {moment}: {room['blank']:.0f} px left blank right of the Train tab"
        check(pg, f"{viewport} {mode} train, {moment}", presenting)
    assert not pg.errors, pg.errors
