"""An axe-core audit (axe-playwright-python) of the page in every theme, mode and preset, in
the backward and the update phase: no serious or critical violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

PRESETS = ["lecture", "mini-mlp", "xor", "two-outputs", "dead-relu"]


@pytest.fixture(scope="module")
def audit_page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


def serious(results):
    out = []
    for v in results.response["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = [n["target"] for n in v["nodes"][:3]]
            out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']} e.g. {targets}")
    return out


@pytest.mark.parametrize("mode", ["normal", "present"])
@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_no_serious_or_critical_axe_violation(audit_page, server, theme, mode):
    axe = axe_sync.Axe()
    found = []
    for preset in PRESETS:
        audit_page.goto(f"{server.url}/?preset={preset}&theme={theme}" + ("&present" if mode == "present" else ""))
        expect(audit_page.locator("[data-testid=explain] [data-line=value]")).to_be_visible()
        # The backward and update phases hold every element and colour of the start, and more.
        for moment, keys in {"backward": ["3", "ArrowRight"], "update": ["4"]}.items():
            for key in keys:
                audit_page.keyboard.press(key)
            found += [f"{preset} {moment}: {v}" for v in serious(axe.run(audit_page))]
    assert not found, "\n".join(found)
