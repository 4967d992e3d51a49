"""Screenshots of the page at 1280×720: normal and presentation mode, light and dark,
during the forward and the backward pass. Writes PNGs to tests/browser/screenshots/.

    python tests/browser/screenshots.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"

SHOTS = [
    # name, theme, presenting, keys to press after load, preset
    ("forward-light", "light", False, ["ArrowRight"] * 4, "lecture"),
    ("backward-light", "light", False, ["3", *["ArrowRight"] * 4], "lecture"),
    ("forward-dark", "dark", False, ["ArrowRight"] * 2, "lecture"),
    ("backward-dark", "dark", False, ["3", *["ArrowRight"] * 6], "lecture"),
    ("present-forward-light", "light", True, ["ArrowRight"] * 4, "lecture"),
    ("present-backward-dark", "dark", True, ["3", *["ArrowRight"] * 1], "lecture"),
    ("update-light", "light", False, ["4", "ArrowRight", "ArrowRight", "ArrowRight"], "lecture"),
    ("present-update-contrast", "contrast", True, ["4", *["ArrowRight"] * 8], "lecture"),
    ("panel-two-outputs", "light", False, ["3", "ArrowRight"], "two-outputs"),
    ("keyboard-focus-light", "light", False, ["ArrowRight", "focus:[data-edge='L1W1_1']"], "lecture"),
    ("mini-mlp-dark", "dark", False, ["ArrowRight"] * 3, "mini-mlp"),
    # the preset may carry more of the page's query: a view beside the diagram, a dead unit
    ("beside-tensors-light", "light", False, ["3", "ArrowRight", "ArrowRight"], "lecture&view=tensors&beside"),
    ("dead-relu-light", "light", False, ["ArrowRight"] * 2, "dead-relu"),
    ("present-graph-light", "light", True, ["3"], "lecture&view=graph"),
]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    server = Server().wait()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for name, theme, presenting, keys, preset in SHOTS:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                query = f"?theme={theme}&preset={preset}" + ("&present" if presenting else "") + ("&panel" if name.startswith("panel") else "")
                page.goto(server.url + "/" + query)
                expect(page.locator("[data-testid=explain] [data-line=value]")).to_be_visible()
                for key in keys:
                    if key.startswith("focus:"):
                        page.locator(key[6:]).focus()
                    else:
                        page.keyboard.press(key)
                page.mouse.move(1, 1)
                page.wait_for_timeout(400)  # let the gradient dashes and transitions settle
                page.screenshot(path=str(OUT / f"{name}.png"))
                page.close()
            browser.close()
    finally:
        server.stop()
    print(f"wrote {len(SHOTS)} screenshots to {OUT}")


if __name__ == "__main__":
    main()
