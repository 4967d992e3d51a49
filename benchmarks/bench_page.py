"""Section 6: the page in Chromium — a typed weight (Enter) until every view has repainted.

Measured inside the page with performance.now(): from the Enter that commits the value to
the frame after the answer has been drawn (the status loses data-pending once the store has
the answer and every view has repainted from it; one more animation frame is the paint).
"""

from __future__ import annotations

import statistics
import sys

from bench_common import HOST, ROOT, Figure, ms
from bench_context import Context
from bench_servers import app_argv, running

GOAL_MS = 50.0

# Open the weight's editor, type the value, then time Enter → answer drawn → next frame.
TIMED_ENTER = """async ({ ref, value }) => {
  const status = document.querySelector("[data-region=status]");
  const input = document.querySelector(`[data-editor="${ref}"]`);
  input.value = String(value);
  const painted = new Promise((resolve) => {
    const seen = new MutationObserver(() => {
      if (status.hasAttribute("data-pending")) return;
      seen.disconnect();
      requestAnimationFrame(() => resolve(performance.now()));
    });
    seen.observe(status, { attributes: true, attributeFilter: ["data-pending"] });
  });
  const t0 = performance.now();
  input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  return (await painted) - t0;
}"""

NETS = {"lecture": ("lecture", "L2W0_0"), "MyMiniMLP": ("mini-mlp", "L2W0_0")}


def typed_edit_ms(page, ref: str, repeats: int) -> list[float]:
    """Milliseconds from Enter to the repainted page, for `repeats` typed values of one weight."""
    out = []
    for k in range(repeats):
        page.locator(f'[data-editable="{ref}"]').first.click()
        page.locator(f'[data-editor="{ref}"]').wait_for()
        out.append(page.evaluate(TIMED_ENTER, {"ref": ref, "value": round(0.1 + 0.01 * (k % 50), 2)}))
        page.locator("[data-region=status]:not([data-pending])").wait_for()
    return out


def section_page(ctx: Context) -> list[Figure]:
    """Typed weight → every view repainted, lecture and MyMiniMLP, p50 and p90 over repeated edits."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from playwright.sync_api import sync_playwright
    from server import CHROMIUM, CHROMIUM_ARGS

    repeats = 15 if ctx.quick else 40
    figures = []
    with running("page", app_argv) as server, sync_playwright() as p:
        url = f"http://{HOST}:{server.port}"
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        print("6. The page: a typed weight (Enter) → every view repainted, in Chromium (performance.now)")
        for label, (preset, ref) in NETS.items():
            page.goto(f"{url}/?preset={preset}")
            page.locator("[data-testid=explain] [data-line=value]").wait_for()
            typed_edit_ms(page, ref, 3)  # warm-up
            times = sorted(typed_edit_ms(page, ref, repeats))
            p50, p90 = statistics.median(times), times[int(0.9 * (len(times) - 1))]
            ctx.results.setdefault("page", {})[label] = {"ms": times}
            print(f"   {label:<10} p50 {p50:.1f} ms   p90 {p90:.1f} ms   max {times[-1]:.1f} ms   ({repeats} edits)")
            figures.append(Figure("page", f"typed weight → repaint, {label}", f"p50 {ms(p50 / 1e3)}, p90 {ms(p90 / 1e3)}",
                                  f"< {GOAL_MS:g} ms", p90 < GOAL_MS))
        browser.close()
    return figures


DRAG_GOAL = 30.0  # answers shown per second while the hand moves

# Count the answers the store shows (reason "response") and when; reset per drag.
COUNT_ANSWERS = """() => {
  const s = window.backpropLab;
  window.__answers = [];
  if (!window.__counting) {
    window.__counting = true;
    s.addEventListener("change", (e) => {
      if (e.detail.reason === "response") window.__answers.push([performance.now(), s.state.response.output[0][0]]);
    });
  }
  return performance.now();
}"""


def drag_answers(page, ref: str, seconds: float) -> tuple[int, float, int, float]:
    """A real mouse drag on a weight for `seconds`: (answers shown, their rate per second, distinct ŷ,
    mouse moves per second the driver managed: the drag cannot show more answers than moves)."""
    import time

    box = page.locator(f'[data-edge-label="{ref}"]').bounding_box() or page.locator(f'[data-edge="{ref}"]').bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    t0 = page.evaluate(COUNT_ANSWERS)
    start = time.perf_counter()
    k = 0
    while time.perf_counter() - start < seconds:
        k += 1
        page.mouse.move(x + 5 + 40 * abs(((k % 80) - 40) / 40), y)  # back and forth, as a hand does
    t1 = page.evaluate("() => performance.now()")
    answers = page.evaluate("() => window.__answers.slice()")
    page.mouse.up()
    during = [a for a in answers if a[0] <= t1]
    span = (t1 - t0) / 1e3
    return len(during), len(during) / span, len({round(a[1], 12) for a in during}), k / span


def section_drag(ctx: Context) -> list[Figure]:
    """Dragging the lecture's w₀ᵒᵘᵗ in Chromium: answers (ŷ, L, every gradient) shown per second."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from playwright.sync_api import sync_playwright
    from server import CHROMIUM, CHROMIUM_ARGS

    seconds = 3.0 if ctx.quick else 6.0
    with running("page", app_argv) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"http://{HOST}:{server.port}/?preset=lecture")
        page.locator("[data-testid=explain] [data-line=value]").wait_for()
        print("7. Live drag: a real mouse drag on w₀ᵒᵘᵗ, answers shown per second (Chromium, lecture)")
        drag_answers(page, "L2W0_0", 1.0)  # warm-up
        page.locator("[data-region=status]:not([data-pending])").wait_for()
        n, rate, distinct, moves = drag_answers(page, "L2W0_0", seconds)
        ctx.results.setdefault("drag", {})["lecture"] = {"answers": n, "per_s": rate, "distinct_yhat": distinct, "moves_per_s": moves}
        print(f"   lecture    {n} answers in {seconds:g} s = {rate:.1f} answers/s, {distinct} distinct ŷ "
              f"({moves:.0f} mouse moves/s from the driver)")
        browser.close()
    return [Figure("drag", "answers shown per second during a drag, lecture", f"{rate:.0f}/s", f"≥ {DRAG_GOAL:g}/s", rate >= DRAG_GOAL)]
