"""An answer repaints the diagram's elements whose numbers changed, and only those: an edit
still shows every new number the server computed (MyMiniMLP, 8 → 16 → 1, batch 32), while the
neurons, biases and weights it did not change are not written to at all."""

from __future__ import annotations

import pytest

# Record which diagram elements (neurons, biases, weights' edges, the loss) are written to.
WATCH = r"""() => {
  const svg = document.querySelector('[data-diagram]');
  window.__touched = new Set();
  window.__watch?.disconnect();
  window.__watch = new MutationObserver((records) => {
    for (const r of records) {
      const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const owner = node?.closest('[data-node], [data-bias], [data-edge], [data-loss-node]');
      if (owner) window.__touched.add(owner.dataset.node ?? owner.dataset.bias ?? owner.dataset.edge ?? 'loss');
    }
  });
  window.__watch.observe(svg, { subtree: true, attributes: true, characterData: true, childList: true });
}"""

# The edit through the store, then its answer drawn (and the frame after it).
EDIT = r"""async ([address, value]) => {
  const s = window.backpropLab;
  s.setValue(address, value);
  await new Promise((resolve) => {
    const done = () => (s.state.pending || !s.state.sent ? setTimeout(done, 10) : requestAnimationFrame(() => resolve()));
    done();
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  return [...window.__touched].sort();
}"""

SHOWN = r"""() => {
  const out = {};
  for (const g of document.querySelectorAll('[data-diagram] [data-node]')) out[g.dataset.node] = [g.getAttribute('data-value'), g.getAttribute('data-grad')];
  for (const g of document.querySelectorAll('[data-diagram] [data-edge]')) out[g.dataset.edge] = [g.getAttribute('data-weight'), g.getAttribute('data-grad')];
  for (const g of document.querySelectorAll('[data-diagram] [data-bias]')) out[g.dataset.bias] = [g.getAttribute('data-value'), g.getAttribute('data-grad')];
  return out;
}"""


def open_mini(page, step_js: str):
    page.goto(f"{page.base_url}/?preset=mini-mlp")
    page.locator("[data-testid=explain] [data-line=value]").wait_for()
    page.locator("[data-region=status]:not([data-pending])").wait_for()
    page.evaluate(step_js)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))")


def test_an_edit_writes_only_to_the_elements_whose_numbers_changed(page):
    # Step 1 computes s⁰ of the hidden layer: an edit of the output weight w⁰ (W:2,0,0) changes
    # ŷ (not shown yet, but held in its data-value) and L, and none of the hidden or input neurons.
    open_mini(page, "() => window.backpropLab.goTo(0)")
    page.evaluate(WATCH)
    old = page.evaluate("() => window.backpropLab.state.request.network.layers[1].weights[0][0]")
    touched = page.evaluate(EDIT, ["W:2,0,0", round(old + 0.01, 4)])
    assert "L2W0_0" in touched, "the edited weight is repainted"
    untouched = {"L1N0", "L1N5", "L0N0", "L0N7", "L1B3", "L2B0", "L1W0_0", "L2W0_1"}
    assert not untouched & set(touched), f"elements whose numbers did not change were written to: {sorted(untouched & set(touched))}"
    assert set(touched) <= {"L2W0_0", "L2N0", "loss"}, touched


@pytest.mark.parametrize("address, value", [("W:1,0,0", 0.4321), ("b:2,0", -0.25), ("x:0,3", 1.5)])
def test_every_number_an_edit_changed_is_shown_as_the_server_computed_it(page, api, address, value):
    # The last backward step, weights and gradients both shown: every neuron, bias and edge
    # carries a number, and most of them change with an edit of a first-layer weight or an input.
    open_mini(page, "() => { const s = window.backpropLab; s.set({ view: 'both' }, 'view'); s.jumpToPhase('update'); s.goTo(s.state.step - 1); }")
    before = page.evaluate(SHOWN)
    page.evaluate(WATCH)
    page.evaluate(EDIT, [address, value])
    shown = page.evaluate(SHOWN)
    body = page.evaluate("() => window.backpropLab.body()")
    answer = api.step(body)
    s = 0  # the traced sample: the API's per-layer values are that sample's row
    changed = 0
    net = body["network"]
    for k, layer in enumerate(answer["layers"], start=1):
        for u in range(len(layer["post"][s])):
            value_shown, grad_shown = shown[f"L{k}N{u}"]
            assert float(value_shown) == pytest.approx(layer["post"][s][u], rel=1e-12, abs=1e-15), f"z of L{k}N{u}"
            assert float(grad_shown) == pytest.approx(layer["grad_post"][s][u], rel=1e-12, abs=1e-15), f"∂L/∂z of L{k}N{u}"
            weight, grad = shown[f"L{k}B{u}"]
            assert float(weight) == net["layers"][k - 1]["biases"][u]
            assert float(grad) == pytest.approx(layer["grad_biases"][u], rel=1e-12, abs=1e-15), f"∂L/∂b of L{k}B{u}"
            for j, g in enumerate(layer["grad_weights"][u]):
                weight, grad = shown[f"L{k}W{u}_{j}"]
                assert float(weight) == net["layers"][k - 1]["weights"][u][j]
                assert float(grad) == pytest.approx(g, rel=1e-12, abs=1e-15), f"∂L/∂w of L{k}W{u}_{j}"
    for u, x in enumerate(body["x"][s]):
        assert float(shown[f"L0N{u}"][0]) == x
    changed = sum(before[k] != shown[k] for k in shown)
    assert changed > 20, f"the edit changed only {changed} numbers on the drawing: the test edits the wrong thing"
