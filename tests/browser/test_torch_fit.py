"""The PyTorch views (tensors, modules, autograd graph, code) on every projector: at 1024×768,
1280×720 and 1920×1080, normal and presentation, with the lecture, XOR and MyMiniMLP, in the
forward, backward and update phases (the graph at each of its autograd nodes too): nothing
outside the window, nothing scrolls sideways; presenting, no view holds more than it shows and
no text is under 24 px (normal mode may scroll a long script down in its own box)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .layout_checks import OUTSIDE, SMALL_TEXT
from .test_page import EXPLAIN, idle

SIZES = {"1024x768": (1024, 768), "1280x720": (1280, 720), "1920x1080": (1920, 1080)}

# Each view's panel and the boxes inside it that clip or scroll, where one holds more than it
# shows: {what, sideways, down}; and the panel outside the window.
SCROLLS = r"""(view) => {
  const panel = document.querySelector(`[data-view="${view}"]`);
  const out = [];
  for (const e of [panel, ...panel.querySelectorAll('*')]) {
    if (!(e instanceof HTMLElement) || !e.getClientRects().length) continue;
    const s = getComputedStyle(e);
    if (e !== panel && s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const sideways = e.scrollWidth > e.clientWidth + 1;
    const down = e.scrollHeight > e.clientHeight + 1;
    if (sideways || down) out.push({ what: `${e.tagName.toLowerCase()}.${e.className} holds ${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight}`, sideways, down });
  }
  const r = panel.getBoundingClientRect();
  if (r.left < 0 || r.top < 0 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) out.push({ what: 'the panel is outside the window', sideways: true, down: true });
  return out;
}"""


def fits_without_scrolling(page, view, when, presenting=True):
    # Normal mode shows the whole script (or a graph too tall for its panel) in a box that
    # scrolls down; nothing scrolls sideways. Presenting, nothing scrolls at all.
    scrolls = [s["what"] for s in page.evaluate(SCROLLS, view) if presenting or s["sideways"]]
    assert scrolls == [], f"the {view} view scrolls ({when}): {scrolls}"
    outside = page.evaluate(OUTSIDE)
    assert outside == [], f"outside the window in the {view} view ({when}): {outside[:5]}"
    if presenting:
        small = page.evaluate(SMALL_TEXT, 24)
        assert small == [], f"text under 24 px in the {view} view ({when}): {small[:5]}"


@pytest.mark.parametrize("preset", ["lecture", "xor", "mini-mlp"])
@pytest.mark.parametrize("view", ["tensors", "modules", "graph", "code"])
@pytest.mark.parametrize("mode", ["present", "normal"])
@pytest.mark.parametrize("size", list(SIZES))
def test_each_torch_view_fits_every_projector_without_scrolling(page, size, mode, view, preset):
    w, h = SIZES[size]
    page.set_viewport_size({"width": w, "height": h})
    presenting = mode == "present"
    page.goto(page.base_url + f"/?preset={preset}&view={view}" + ("&present" if presenting else ""))
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    idle(page)
    panel = page.locator(f'[data-view="{view}"]')
    expect(panel).to_be_visible()
    for phase in ["forward", "backward", "update"]:
        page.locator(f'[data-phase-button="{phase}"]').click()
        when = f"{size} {mode} {preset}, {phase} phase"
        if view == "code":
            expect(panel.locator(".code-line.current").first).to_be_visible()
        if view == "tensors":
            expect(panel.locator("td[data-value] >> visible=true").first).to_be_visible()
        if view == "graph":
            expect(panel.locator("[data-grad-fn]").first).to_be_visible()
            # Stepping autograd node by node: the line over the graph changes length, the graph stays in its panel.
            page.locator("[data-graph-go=first]").click()
            for k in range(panel.locator("[data-grad-fn]").count() + 1):
                fits_without_scrolling(page, view, f"{when}, autograd node {k + 1}", presenting)
                page.locator("[data-graph-go=next]").click()
        fits_without_scrolling(page, view, when, presenting)


GRAPH_USE = r"""() => {
  const wrap = document.querySelector('.graph-wrap');
  const svg = wrap.querySelector('svg[data-graph]');
  const box = (sel) => svg.querySelector(sel).getBoundingClientRect();
  const loss = box('[data-loss]');
  const mse = box('[data-grad-fn="MseLossBackward0"]');
  const down = [...svg.querySelectorAll('.graph-edges polyline')].every((p) => {
    const pts = p.getAttribute('points').trim().split(/\s+/).map((xy) => xy.split(',').map(Number));
    return pts.at(-1)[1] > pts[0][1];
  });
  const px = parseFloat(getComputedStyle(svg.querySelector('text')).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return { share: svg.getBoundingClientRect().height / wrap.clientHeight, lossAbove: loss.bottom < mse.top, down, px };
}"""


@pytest.mark.parametrize("preset", ["lecture", "mini-mlp"])
def test_a_projector_with_room_draws_the_graph_as_torchviz_does_and_large(page, preset):
    """At 1920×1080 presenting the graph has room: every node below the node that sends it its
    gradient (the loss above MseLossBackward0, not beside it), and drawn larger than its 24 px text
    to fill the panel's height."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(page.base_url + f"/?preset={preset}&view=graph&present")
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    idle(page)
    expect(page.locator("[data-view=graph] [data-grad-fn]").first).to_be_visible()
    r = page.evaluate(GRAPH_USE)
    assert r["lossAbove"] and r["down"], f"not torchviz's layout: {r}"
    assert r["share"] > 0.7, f"the graph uses {r['share']:.0%} of its panel's height"
    assert r["px"] > 26, f"its text is drawn at {r['px']:.1f} px: not enlarged"
