"""Big networks readable (focus and context): at every kind of step, in every layer, each
number the explanation writes out is on the drawing at that step — as its element's own
text (a neuron's value, a weight's pill, a bias, a target, the loss) or as a callout beside
it — visible and inside the diagram. MyMiniMLP (8 → 16 → 1, 32 samples) and the largest
network the default limits allow in depth and width, 8 → 64 → 32 → 16 → 1."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

# For the step on screen: the numbers of its numeric lines (with the diagram element each
# belongs to) and its value, and for each whether a visible text of the drawing that belongs
# to that element (or the callout of its neuron) writes it, inside the diagram's box.
NUMBERS_ON_DRAWING = r"""() => {
  const store = window.backpropLab;
  const st = store.steps[store.state.step];
  const box = document.querySelector('[data-region=diagram]').getBoundingClientRect();
  const wanted = [];
  for (const n of document.querySelectorAll('[data-testid=explain] [data-line=numbers] [data-address][data-ref]')) {
    wanted.push({ ref: n.getAttribute('data-ref'), text: n.textContent.replace(/[()]/g, '').trim() });
  }
  const result = document.querySelector('[data-testid=explain] [data-line=value]').textContent.replace(/[()]/g, '').trim();
  const target = store.element(st.value);
  if (target) wanted.push({ ref: target, text: result });
  const shown = (el) => {
    for (let e = el; e && e.tagName !== 'svg'; e = e.parentElement) {
      if (e.getAttribute('visibility') === 'hidden' || e.getAttribute('display') === 'none') return false;
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  };
  const texts = [...document.querySelectorAll('[data-diagram] text, [data-diagram] tspan')].filter((t) => !t.querySelector('tspan'));
  const owner = (t) => {
    const g = t.closest('[data-edge-label], [data-callout], [data-ref]');
    return g && (g.getAttribute('data-edge-label') ?? g.getAttribute('data-callout') ?? g.getAttribute('data-ref'));
  };
  const missing = [];
  for (const w of wanted) {
    const hosts = new Set([w.ref, w.ref.replace(/^L(\d+)B(\d+)$/, 'L$1N$2')]);
    const ok = texts.some((t) => hosts.has(owner(t)) && t.textContent.split(/[\s=→∂]+/).includes(w.text) && shown(t));
    if (!ok) missing.push(`${w.ref} ${w.text}`);
  }
  return { kind: st.kind, count: wanted.length, missing };
}"""

# Each kind of step in each layer, once: the first step of each (kind, layer of its target).
PICK_STEPS = r"""() => {
  const store = window.backpropLab;
  const seen = new Set();
  const picks = [];
  store.steps.forEach((st, k) => {
    const p = store.state.reg.addresses.parse(st.target);
    const key = `${st.kind}|${p?.q}|${p?.idx?.[0]}`;
    if (!seen.has(key)) { seen.add(key); picks.push(k); }
  });
  return picks;
}"""


def big_request(api):
    """8 → 64 → 32 → 16 → 1 with MyMiniMLP's first 4 samples, weights as the server initialises them."""
    req = api.get("/api/presets/mini-mlp")
    req["network"] = {"inputs": 8, "loss": "mse", "seed": 0, "layers": [
        {"units": 64, "activation": "relu"}, {"units": 32, "activation": "relu"},
        {"units": 16, "activation": "relu"}, {"units": 1, "activation": "identity"}]}
    req["x"], req["y"] = req["x"][:4], req["y"][:4]
    req["network"] = api.step(req)["network"]
    return req


# A sum over 64 or 32 inputs (a neuron of the 32- and 16-unit layers, a 64-unit neuron's
# gradient gathered from 32) writes out more numbers than 720 px of drawing can hold
# legibly; those steps show the step's own neuron and weights, the rest in the values table.
LEGIBLE = 20


@pytest.mark.parametrize("net, present", [("mini-mlp", False), ("mini-mlp", True), ("big", False)])
def test_every_number_of_the_step_is_on_the_drawing(page, api, net, present):
    if present:
        page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(page.base_url + "/?preset=mini-mlp" + ("&present" if present else ""))
    expect(page.locator("[data-testid=explain] [data-line=value]")).to_be_visible()
    if net == "big":
        page.evaluate("r => window.backpropLab.loadRequest(r)", big_request(api))
        # Its explanation is 6,853 steps (6.5 MB, 0.4 MB gzipped): generous on a loaded machine.
        expect(page.locator("[data-node=L1N63]")).to_have_count(1, timeout=90_000)
        expect(page.locator("[data-region=status][data-pending]")).to_have_count(0, timeout=90_000)
        expect(page.locator("[data-testid=explain] [data-line=value]")).to_be_visible()
    picks = page.evaluate(PICK_STEPS)
    assert len(picks) >= 8, picks
    failures, checked = [], 0
    for k in picks:
        page.evaluate("k => window.backpropLab.goTo(k)", k)
        expect(page.locator("[data-testid=explain] [data-step-head]")).to_contain_text(f"Step {k + 1} of")
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        found = page.evaluate(NUMBERS_ON_DRAWING)
        if found["count"] > LEGIBLE:
            continue
        checked += 1
        if found["missing"]:
            failures.append(f"step {k + 1} ({found['kind']}): not on the drawing: {found['missing']}")
    assert checked >= 8, f"only {checked} steps checked"
    assert not failures, "\n".join(failures)
