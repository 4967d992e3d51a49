"""The largest networks the default limits allow, at every projector size: a batch of 64
samples, 8 layers, a 64-unit layer (8 → 64 → 32 → 16 → 1), at 1024×768, 1280×720 and
1920×1080, normal and presentation, at the start, in the backward and in the update phase:
nothing outside the window, nothing on top of anything, no text under 24 px when presenting.
And a thing a teacher saw: a neuron's value of up to 7 characters is drawn at full width,
never squeezed into its circle, at 1024×768 in presentation. (The Build panel's batch table at
every size: test_layout_gaps.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .layout_checks import viewport_pages
from .test_layout import MOMENTS, check

VIEWPORTS = {"1024x768": (1024, 768), "1280x720": (1280, 720), "1920x1080": (1920, 1080)}
BIG = 90_000  # ms: the largest network's answers on a loaded machine


def _with_weights(api, req):
    req["network"] = api.step(req)["network"]  # the server's seeded weights, as the page edits them
    return req


def batch64(api):
    """The lecture's network with 64 samples (the page's largest batch)."""
    req = api.get("/api/presets/lecture")
    req["x"] = [[round(0.1 * (s % 7) - 0.3, 2), round(0.05 * (s % 11), 2), round(-0.1 * (s % 5), 2)] for s in range(64)]
    req["y"] = [[round(0.02 * s, 2)] for s in range(64)]
    return req


def wide64(api):
    """8 → 64 → 32 → 16 → 1: the widest layer the default limits allow."""
    req = api.get("/api/presets/lecture")
    req["network"] = {"inputs": 8, "loss": "mse", "seed": 5, "layers": [
        {"units": 64, "activation": "tanh"}, {"units": 32, "activation": "tanh"},
        {"units": 16, "activation": "tanh"}, {"units": 1, "activation": "identity"}]}
    req["x"] = [[0.1 * (j - 4) for j in range(8)]]
    req["y"] = [[0.5]]
    return _with_weights(api, req)


def deep8(api):
    """3 → 4 → 4 → 4 → 4 → 4 → 4 → 4 → 1: eight layers, the most the default limits allow."""
    req = api.get("/api/presets/lecture")
    req["network"] = {"inputs": 3, "loss": "mse", "seed": 7, "layers": [
        *({"units": 4, "activation": "tanh"} for _ in range(7)), {"units": 1, "activation": "identity"}]}
    return _with_weights(api, req)


NETS = {"batch64": batch64, "wide64": wide64, "deep8": deep8}


@pytest.fixture(scope="module")
def requests(api):
    return {name: make(api) for name, make in NETS.items()}


@pytest.fixture(scope="module")
def pages(browser, server):
    """One page per viewport, reused; console errors collected per page."""
    yield from viewport_pages(browser, VIEWPORTS)


def load(pg, base_url, request, presenting):
    pg.goto(f"{base_url}/?preset=lecture" + ("&present" if presenting else ""))
    expect(pg.locator("[data-testid=explain] [data-line=value]")).to_be_visible()
    pg.evaluate("r => window.backpropLab.loadRequest(r)", request)
    expect(pg.locator("[data-node]")).to_have_count(request["network"]["inputs"] + sum(l["units"] for l in request["network"]["layers"]))
    expect(pg.locator("[data-region=status][data-pending]")).to_have_count(0, timeout=BIG)
    expect(pg.locator("[data-testid=explain] [data-line=value]")).to_be_visible()


@pytest.mark.parametrize("net", list(NETS))
@pytest.mark.parametrize("mode", ["normal", "present"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_largest_networks_fit_the_screen_at_every_moment(pages, server, requests, viewport, mode, net):
    pg = pages(viewport)
    presenting = mode == "present"
    load(pg, server.url, requests[net], presenting)
    problems = []
    for moment, keys in MOMENTS.items():
        pg.keyboard.press("Home")
        for key in keys:
            pg.keyboard.press(key)
        try:
            check(pg, f"{viewport} {mode} {net} {moment}", presenting)
        except AssertionError as err:  # every moment is looked at, then all is said
            problems.append(str(err).split("\nassert")[0])
    assert not problems, "\n".join(problems)
    assert not pg.errors, pg.errors


# Each neuron's and the loss's value as drawn: its text, whether it is squeezed (textLength),
# its width on screen, and the room it has (its plate when shown, else the circle).
VALUES = """() => [...document.querySelectorAll('[data-node] text.value, [data-loss-node] text.value')]
  .filter((t) => t.textContent && t.getAttribute('display') !== 'none')
  .map((t) => {
    const g = t.parentNode;
    const plate = g.querySelector('.value-plate');
    const shownPlate = plate && plate.getAttribute('display') !== 'none';
    const room = shownPlate ? plate.getBoundingClientRect().width : g.querySelector('circle.body').getBoundingClientRect().width;
    return { text: t.textContent, squeezed: t.hasAttribute('textLength'), width: t.getBoundingClientRect().width,
             natural: t.getComputedTextLength(), room, plate: shownPlate,
             px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b) };
  })"""


def test_values_of_up_to_7_characters_are_drawn_at_full_width_at_1024_presenting(pages, server):
    pg = pages("1024x768")
    pg.goto(f"{server.url}/?preset=lecture&present")
    expect(pg.locator("[data-testid=explain] [data-line=value]")).to_be_visible()
    expect(pg.locator("[data-region=status][data-pending]")).to_have_count(0)
    steps = pg.evaluate("() => window.backpropLab.steps.length")
    seen = set()
    plated = set()
    for k in range(steps):
        pg.evaluate("k => window.backpropLab.goTo(k)", k)
        for v in pg.evaluate(VALUES):
            if len(v["text"]) > 7:
                continue
            seen.add(v["text"])
            where = f"step {k + 1}: {v['text']}"
            assert not v["squeezed"], f"{where} is squeezed into its circle"
            assert v["width"] >= v["natural"] - 0.5, f"{where} is narrowed: {v['width']:.1f} < {v['natural']:.1f} px"
            assert v["width"] <= v["room"] + 1, f"{where} is wider than its circle or plate ({v['width']:.1f} > {v['room']:.1f} px)"
            assert v["px"] >= 24 - 0.01, f"{where} is {v['px']:.1f} px"
            if v["plate"]:
                plated.add(v["text"])
    assert "−0.7145" in seen and "−0.7145" in plated, sorted(seen)  # ∂L/∂ŷ: 7 characters, wider than its circle
    check(pg, "1024x768 present lecture, values on plates", True)
    assert not pg.errors, pg.errors
