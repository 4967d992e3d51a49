"""A typed value costs the page one rendering, not two: its editor closes with the edit's own
repaint (never showing the old number after it closed); the batch table writes only the cells
an answer changed; a closed build panel's contents are skipped by the browser, yet kept current."""

from __future__ import annotations

from playwright.sync_api import expect

from .statehelp import idle

# Every frame from now on: is the editor there, and which weight does the edited edge show?
RECORD_FRAMES = r"""(ref) => {
  window.__frames = [];
  const edge = document.querySelector(`[data-edge="${ref}"]`);
  const sample = () => {
    window.__frames.push([Boolean(document.querySelector('[data-editor]')), edge.getAttribute('data-weight')]);
    if (window.__frames.length < 600) requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
}"""

# Count what is written to the batch table: field values (a property, so through its setter)
# and text, attributes or nodes (a MutationObserver).
WATCH_BATCH = r"""() => {
  const table = document.querySelector('[data-batch]');
  window.__batch = { values: 0, mutated: new Set() };
  if (!window.__valueSpy) {
    window.__valueSpy = true;
    const d = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
    Object.defineProperty(HTMLInputElement.prototype, 'value', {
      configurable: true, get: d.get,
      set(v) { if (this.matches('[data-batch] [data-cell]')) window.__batch.values += 1; d.set.call(this, v); },
    });
  }
  window.__batchWatch?.disconnect();
  window.__batchWatch = new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const row = el.closest('[data-sample-row]');
      window.__batch.mutated.add(row ? `row ${row.dataset.sampleRow} ${el.tagName}${el.className ? '.' + el.className : ''}` : el.tagName);
    }
  });
  window.__batchWatch.observe(table, { subtree: true, attributes: true, characterData: true, childList: true });
}"""

BATCH_WRITES = "() => ({ values: window.__batch.values, mutated: [...window.__batch.mutated].sort() })"


def settle(page):
    """The latest answer is shown, and the frame after it has run."""
    idle(page)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))")


def test_a_typed_value_closes_its_editor_with_the_repaint_that_shows_it(page):
    page.goto(f"{page.base_url}/?preset=mini-mlp")
    page.locator("[data-testid=explain] [data-line=value]").wait_for()
    settle(page)
    edge = page.locator('[data-edge="L2W0_0"]')
    for k, text in enumerate(["0.4321", "-0.25", "0.4321"]):
        page.locator('[data-editable="L2W0_0"]').first.click()
        editor = page.locator('[data-editor="L2W0_0"]')
        expect(editor).to_be_focused()
        editor.fill(text)
        page.evaluate(RECORD_FRAMES, "L2W0_0")
        editor.press("Enter")
        expect(page.locator("[data-editor]")).to_have_count(0)
        settle(page)
        expect(edge).to_have_attribute("data-weight", text)
        expect(edge).to_be_focused()  # the keyboard is back on the weight it edited
        frames = page.evaluate("() => window.__frames")
        shown = [weight for editing, weight in frames if not editing]
        assert shown, "no frame after the editor closed was recorded"
        assert all(w == text for w in shown), f"edit {k}: the closed editor left the old weight on screen for a frame: {frames}"


def test_a_click_on_another_element_while_the_editor_closes_opens_that_ones_editor(page):
    page.goto(f"{page.base_url}/?preset=lecture")
    page.locator("[data-testid=explain] [data-line=value]").wait_for()
    settle(page)
    page.locator('[data-editable="L2W0_0"]').first.click()
    page.locator('[data-editor="L2W0_0"]').fill("0.5")
    page.locator('[data-editor="L2W0_0"]').press("Enter")
    page.locator('[data-editable="L0N1"]').first.click()  # at once, the answer perhaps not in yet
    expect(page.locator('[data-editor="L0N1"]')).to_be_focused()
    expect(page.locator("[data-editor]")).to_have_count(1)
    settle(page)
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.5")
    expect(page.locator('[data-editor="L0N1"]')).to_be_focused()  # the first edit's answer left it alone


def test_the_batch_table_writes_only_the_cells_an_answer_changed(page, api):
    page.goto(f"{page.base_url}/?preset=xor&panel")  # four samples
    page.locator("[data-testid=explain] [data-line=value]").wait_for()
    settle(page)
    rows = page.locator("[data-batch] [data-sample-row]")
    n = rows.count()
    assert n >= 2, "the test needs a batch of several samples"
    # The same request asked again: the same samples and the same ŷ, so not one cell is written.
    page.evaluate(WATCH_BATCH)
    page.evaluate("() => window.backpropLab.recompute()")
    settle(page)
    writes = page.evaluate(BATCH_WRITES)
    assert writes == {"values": 0, "mutated": []}, writes
    # An output weight: every ŷ changes, the samples (inputs and targets) do not.
    page.evaluate(WATCH_BATCH)
    old = page.evaluate("() => window.backpropLab.state.request.network.layers[1].weights[0][0]")
    page.evaluate("(v) => window.backpropLab.setValue('W:2,0,0', v)", round(old + 0.25, 4))
    settle(page)
    writes = page.evaluate(BATCH_WRITES)
    assert writes["values"] == 0, f"unchanged sample fields were rewritten: {writes}"
    changed_rows = {m.split(" ")[1] for m in writes["mutated"] if m.startswith("row ")}
    assert changed_rows == {str(s) for s in range(n)}, writes  # every ŷ changed
    assert all(m.endswith("TD.num") for m in writes["mutated"] if m.startswith("row ")), writes
    # What the table shows is the fresh answer's ŷ, formatted as the page formats numbers.
    body = page.evaluate("() => window.backpropLab.body()")
    answer = api.step(body)
    shown = page.evaluate("() => [...document.querySelectorAll('[data-batch] [data-sample-row] td.num')].map((td) => td.textContent)")
    fmt = page.evaluate("(vs) => import('./static/js/format.js').then((m) => vs.map((row) => row.map((v) => m.fmt(v)).join(', ')))", answer["output"])
    assert shown == fmt


def test_a_closed_build_panel_is_skipped_by_the_browser_and_kept_current(page, api):
    page.set_viewport_size({"width": 1280, "height": 720})  # the panel starts closed below 1600 px
    page.goto(f"{page.base_url}/?preset=mini-mlp")
    page.locator("[data-testid=explain] [data-line=value]").wait_for()
    settle(page)
    side = "() => getComputedStyle(document.querySelector('#side-panel')).contentVisibility"
    assert page.evaluate(side) == "hidden"
    old = page.evaluate("() => window.backpropLab.state.request.network.layers[1].weights[0][0]")
    page.evaluate("(v) => window.backpropLab.setValue('W:2,0,0', v)", round(old - 0.25, 4))
    settle(page)
    page.locator("[data-control=panel]").click()
    assert page.evaluate(side) == "visible"
    first = page.locator("[data-batch] [data-sample-row] td.num").first
    expect(first).to_be_visible()
    answer = api.step(page.evaluate("() => window.backpropLab.body()"))
    expected = page.evaluate("(v) => import('./static/js/format.js').then((m) => m.fmt(v))", answer["output"][0][0])
    expect(first).to_have_text(expected)
