"""Issue 8's last layout gaps, as a teacher saw them on a projector: the Build panel opens by
itself only outside presentation; its batch table never cuts a number (each column as wide as
its numbers, the table scrolling in its own box with the sample's column kept in view); the
step's weight labels of a 64-unit network are tied to their edges; MyMiniMLP's input values
are drawn whole on plates and a product in the explanation is never broken over two lines."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .layout_checks import viewport_pages
from .test_layout import check
from .test_layout_sizes import BIG, batch64, load, wide64

VIEWPORTS = {"1024x768": (1024, 768), "1280x720": (1280, 720), "1920x1080": (1920, 1080)}


@pytest.fixture(scope="module")
def pages(browser, server):
    """One page per viewport, reused; console errors collected per page."""
    yield from viewport_pages(browser, VIEWPORTS)


def ready(pg):
    expect(pg.locator("[data-testid=explain] [data-line=value]")).to_be_attached()
    expect(pg.locator("[data-region=status][data-pending]")).to_have_count(0, timeout=BIG)


def panel_open(pg):
    return pg.evaluate("document.documentElement.hasAttribute('data-panel-open')")


def test_the_build_panel_opens_by_itself_only_outside_presentation(pages, server):
    pg = pages("1920x1080")
    pg.goto(f"{server.url}/?preset=mini-mlp&present")
    ready(pg)
    assert not panel_open(pg), "the Build panel opened by itself in presentation"
    expect(pg.locator("[data-control=panel]")).to_have_attribute("aria-expanded", "false")
    pg.locator("[data-control=panel]").click()  # asked for: it opens
    assert panel_open(pg)
    pg.goto(f"{server.url}/?preset=mini-mlp&present&panel")  # asked for in the link
    ready(pg)
    assert panel_open(pg)
    # On a wide screen it opens by itself; presenting puts it aside, leaving brings it back.
    pg.goto(f"{server.url}/?preset=mini-mlp")
    ready(pg)
    assert panel_open(pg)
    pg.keyboard.press("f")
    expect(pg.locator("html[data-presenting]")).to_have_count(1)
    assert not panel_open(pg), "the panel that opened by itself stayed open in presentation"
    pg.keyboard.press("Escape")
    expect(pg.locator("html[data-presenting]")).to_have_count(0)
    assert panel_open(pg)
    # Once the teacher opens it while presenting, it is theirs: it stays.
    pg.keyboard.press("f")
    pg.locator("[data-control=panel]").click()
    assert panel_open(pg)
    pg.keyboard.press("Escape")
    pg.keyboard.press("f")
    assert panel_open(pg)
    assert not pg.errors, pg.errors


# Every number of the batch table whole in its cell, the table inside its panel, the page not sideways.
CUT = """() => {
  const out = [];
  const W = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > W) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${W}`);
  const side = document.querySelector('.side');
  if (side.scrollWidth > side.clientWidth + 1) out.push(`the panel scrolls sideways: ${side.scrollWidth} > ${side.clientWidth}`);
  const box = document.querySelector('[data-batch-scroll]').getBoundingClientRect();
  const panel = side.getBoundingClientRect();
  if (box.left < panel.left - 1 || box.right > panel.right + 1) out.push('the batch box is wider than its panel');
  for (const cell of document.querySelectorAll('[data-batch] [data-cell]')) {
    if (cell.scrollWidth > cell.clientWidth + 1) out.push(`${cell.dataset.cell} "${cell.value}" is cut: ${cell.scrollWidth} > ${cell.clientWidth}`);
  }
  for (const td of document.querySelectorAll('[data-batch] td, [data-batch] th')) {
    if (td.scrollWidth > td.clientWidth + 1) out.push(`"${td.textContent}" is cut: ${td.scrollWidth} > ${td.clientWidth}`);
  }
  return out;
}"""

# Scrolled to its far end, the sample's column is still at the box's left edge, over the cells.
STICKY = """() => {
  const box = document.querySelector('[data-batch-scroll]');
  box.scrollLeft = box.scrollWidth;
  const left = box.getBoundingClientRect().left;
  const out = [];
  for (const row of document.querySelectorAll('[data-sample-row]')) {
    const first = row.firstElementChild.getBoundingClientRect();
    if (Math.abs(first.left - left) > 1) out.push(`sample ${Number(row.dataset.sampleRow) + 1}'s column moved away: ${first.left} vs ${left}`);
  }
  const last = document.querySelector('[data-sample-row] td:last-child').getBoundingClientRect();
  if (last.right > box.getBoundingClientRect().right + 1) out.push('the last column cannot be scrolled into view');
  box.scrollLeft = 0;
  return out;
}"""

DATA = {"xor": None, "mini-mlp": None, "batch64": batch64}


@pytest.mark.parametrize("data", list(DATA))
@pytest.mark.parametrize("mode", ["normal", "present"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_number_of_the_batch_table_is_whole_at_every_size(pages, server, api, viewport, mode, data):
    pg = pages(viewport)
    presenting = mode == "present"
    where = f"{viewport} {mode} {data}"
    if DATA[data]:
        load(pg, server.url, DATA[data](api), presenting)
        if not panel_open(pg):
            pg.locator("[data-control=panel]").click()
    else:
        pg.goto(f"{server.url}/?preset={data}&panel" + ("&present" if presenting else ""))
        ready(pg)
    rows = pg.locator("[data-sample-row]")
    expect(rows).to_have_count(64 if data == "batch64" else pg.evaluate("window.backpropLab.state.request.x.length"))
    # A long number, as a teacher types one: its column widens to show it whole.
    pg.locator("[data-cell='x:0,0']").fill("-0.0012345")
    ready(pg)
    found = pg.evaluate(CUT)
    assert not found, f"{where}: {found[:8]}"
    check(pg, f"{where}, Build panel open", presenting)
    found = pg.evaluate(STICKY)
    assert not found, f"{where}: {found[:8]}"
    assert not pg.errors, pg.errors


# The step's weight labels: each one's box, its edge (in the diagram's pixels) and its leader line, if any.
LABELS = """() => {
  const svg = document.querySelector('[data-region=diagram] svg');
  const at = (el) => el.getBoundingClientRect();
  const s = at(svg);
  const out = [];
  for (const label of svg.querySelectorAll('.pill.in-formula, .pill.current')) {
    if (label.getAttribute('visibility') === 'hidden') continue;
    const id = label.dataset.edgeLabel;
    const line = svg.querySelector(`[data-edge="${id}"] line.w`);
    const b = at(label.querySelector('.pill-bg'));
    const leader = svg.querySelector(`.leader[data-leader-of="${id}"]`);
    const shown = leader && leader.getAttribute('display') !== 'none';
    const n = (a) => Number(line.getAttribute(a));
    const ll = shown ? leader.querySelector('line') : null;
    const m = (a) => Number(ll.getAttribute(a));
    out.push({ id, box: { left: b.left - s.left, right: b.right - s.left, top: b.top - s.top, bottom: b.bottom - s.top },
               edge: [n('x1'), n('y1'), n('x2'), n('y2')], leader: shown ? [m('x1'), m('y1'), m('x2'), m('y2')] : null });
  }
  return out;
}"""


def _to_segment(px, py, e):
    x1, y1, x2, y2 = e
    vx, vy = x2 - x1, y2 - y1
    u = max(0.0, min(1.0, ((px - x1) * vx + (py - y1) * vy) / ((vx * vx + vy * vy) or 1)))
    return ((px - x1 - u * vx) ** 2 + (py - y1 - u * vy) ** 2) ** 0.5


def test_a_64_unit_networks_step_labels_are_tied_to_their_edges_at_1024_presenting(pages, server, api):
    pg = pages("1024x768")
    load(pg, server.url, wide64(api), True)
    pg.keyboard.press("Home")
    labels = pg.evaluate(LABELS)
    assert len(labels) == 8, f"the first step's 8 weights are labelled: {[l['id'] for l in labels]}"
    for lab in labels:
        b, e = lab["box"], lab["edge"]
        cx, cy, hh = (b["left"] + b["right"]) / 2, (b["top"] + b["bottom"]) / 2, (b["bottom"] - b["top"])
        if _to_segment(cx, cy, e) <= 0.75 * hh:
            continue  # on its edge
        assert lab["leader"], f"{lab['id']}'s label sits {(_to_segment(cx, cy, e)):.0f} px from its edge with no leader line"
        x1, y1, x2, y2 = lab["leader"]
        assert _to_segment(x2, y2, e) < 1, f"{lab['id']}'s leader does not end on its edge"
        on_side = (abs(x1 - b["left"]) < 1.5 or abs(x1 - b["right"]) < 1.5 or abs(y1 - b["top"]) < 1.5 or abs(y1 - b["bottom"]) < 1.5)
        inside = b["left"] - 1.5 <= x1 <= b["right"] + 1.5 and b["top"] - 1.5 <= y1 <= b["bottom"] + 1.5
        assert on_side and inside, f"{lab['id']}'s leader does not start at its label's side"
    # Leaders in the labels' order: no two cross (a class follows each line to its weight).
    lines = sorted((l["leader"] for l in labels if l["leader"]), key=lambda t: t[1])
    for a, b in zip(lines, lines[1:]):
        assert a[3] <= b[3] + 0.5, f"two leader lines cross: {a} {b}"
    check(pg, "1024x768 present wide64 first step", True)
    assert not pg.errors, pg.errors


# Each input's value as drawn: its text, whether it is squeezed, and whether it sits on a plate.
INPUTS = """() => [...document.querySelectorAll('[data-node^="L0"] text.value')].map((t) => {
  const plate = t.parentNode.querySelector('.value-plate');
  return { text: t.textContent, squeezed: t.hasAttribute('textLength'),
           plate: Boolean(plate) && plate.getAttribute('display') !== 'none',
           width: t.getBoundingClientRect().width,
           room: (plate && plate.getAttribute('display') !== 'none' ? plate : t.parentNode.querySelector('circle.body')).getBoundingClientRect().width };
})"""

# Each product of the explanation's numeric lines: how many lines it takes on screen.
PRODUCTS = """() => [...document.querySelectorAll('[data-testid=explain] .formula .rhs > .term')].map((term) => {
  // A factor that starts no further right than the one before it has gone to a new line.
  const lefts = [...term.children].map((f) => f.getBoundingClientRect().left);
  const lines = 1 + lefts.filter((x, i) => i > 0 && x <= lefts[i - 1]).length;
  const natural = [...term.children].reduce((w, f) => w + f.getBoundingClientRect().width, 0);
  return { text: term.textContent, lines, natural, room: term.closest('.formula').clientWidth };
})"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_mini_mlps_inputs_are_whole_on_plates_and_no_product_breaks_when_presenting(pages, server, viewport):
    pg = pages(viewport)
    pg.goto(f"{server.url}/?preset=mini-mlp&present")
    ready(pg)
    for value in pg.evaluate(INPUTS):
        assert not value["squeezed"], f"{viewport}: input {value['text']} is squeezed into its circle"
        assert value["width"] <= value["room"] + 1, f"{viewport}: input {value['text']} is wider than its circle or plate"
    # The weighted sums of the forward pass (two-factor products of 6–7 character numbers), and
    # the first backward steps.
    steps = pg.evaluate("() => window.backpropLab.steps.length")
    looked = 0
    pg.evaluate("() => document.fonts.ready.then(() => true)")  # measured in the math font, as the room sees it
    for k in [1, 0, 2, 15, 16, 17] + list(range(steps // 2, steps // 2 + 6)):
        pg.evaluate("k => window.backpropLab.goTo(k)", k)
        for p in pg.evaluate(PRODUCTS):
            looked += 1
            if p["natural"] <= p["room"] + 1:  # a product wider than the whole line may break between factors
                assert p["lines"] == 1, f"{viewport} step {k + 1}: the product {p['text']} is broken over {p['lines']} lines"
    assert looked > 20
    check(pg, f"{viewport} present mini-mlp", True)
    assert not pg.errors, pg.errors


RESULT = """() => {
  const panel = document.querySelector('[data-testid=explain]');
  const result = panel.querySelector('[data-line=value]').getBoundingClientRect();
  const box = panel.getBoundingClientRect();
  return { top: result.top, bottom: result.bottom, panelTop: box.top, panelBottom: box.bottom,
           tall: panel.scrollHeight > panel.clientHeight + 1, scrolled: panel.scrollTop };
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_result_of_a_tall_formula_is_in_view_when_presenting(pages, server, viewport):
    """A weighted sum of 8 inputs at 24 px is taller than the panel at 1024×768: its result, the number
    the class is waiting for, shows at the panel's bottom edge rather than below it."""
    pg = pages(viewport)
    pg.goto(f"{server.url}/?preset=mini-mlp&present")
    ready(pg)
    tall = 0
    for k in [0, 3, 32, 2]:  # weighted sums of layer 1 (8 products), the output's (16), back to layer 1
        pg.evaluate("k => window.backpropLab.goTo(k)", k)
        pg.wait_for_timeout(80)  # the formula is fitted, and the panel scrolled, at the next frame
        r = pg.evaluate(RESULT)
        tall += r["tall"]
        where = f"{viewport} step {k + 1}"
        assert r["panelTop"] - 1 <= r["top"] and r["bottom"] <= r["panelBottom"] + 1, f"{where}: the result is out of view: {r}"
        if not r["tall"]:
            assert r["scrolled"] == 0, f"{where}: a formula that fits was scrolled"
    if viewport == "1024x768":
        assert tall, "the case this test is about (a formula taller than its panel) did not occur"


SUM = """() => {
  const panel = document.querySelector('[data-testid=explain]');
  const math = panel.querySelector('[data-formula]');
  const box = panel.getBoundingClientRect();
  const shown = (el) => el.getBoundingClientRect().height > 0;
  const symbols = math.querySelector('[data-line=symbols]');
  const numbers = math.querySelector('[data-line=numbers]');
  const title = panel.querySelector('.explain-title').getBoundingClientRect();
  const first = numbers.firstElementChild.getBoundingClientRect();
  return {
    compact: math.classList.contains('compact-sums'),
    titleInView: title.top >= box.top - 1 && title.bottom <= box.bottom + 1,
    numbersInView: first.top >= box.top - 1,
    symbols: [...symbols.children].filter(shown).map((t) => t.textContent.replace(/\\s+/g, '')),
    hidden: [...symbols.querySelectorAll('.elided')].filter((t) => !shown(t)).length,
    products: numbers.querySelectorAll(':scope > .term, :scope > math').length,
  };
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_tall_weighted_sum_shows_its_title_and_elides_only_symbols_when_presenting(pages, server, viewport):
    """A weighted sum of 8 inputs at 24 px: where it does not fit, its line of symbols shows the first
    two and last two terms around "+ …", so the step's title and every number stay in view; where it
    fits (1920×1080), every symbol shows."""
    pg = pages(viewport)
    pg.goto(f"{server.url}/?preset=mini-mlp&present")
    ready(pg)
    pg.evaluate("() => window.backpropLab.goTo(3)")  # s³ of layer 1: 8 products and β
    pg.wait_for_timeout(80)  # fitted at the next frame
    r = pg.evaluate(SUM)
    assert r["products"] == 9, r  # the numbers' line keeps every term, elided or not
    if viewport == "1920x1080":
        assert not r["compact"] and r["hidden"] == 0, f"{viewport}: a formula that fits was elided: {r}"
        assert len(r["symbols"]) == 9, r
        return
    assert r["compact"], f"{viewport}: the tall sum was not elided: {r}"
    assert r["titleInView"] and r["numbersInView"], f"{viewport}: the title or the numbers are out of view: {r}"
    assert r["hidden"] == 5, r  # w₂x₂ … w₆x₆
    assert r["symbols"][2] == "+…" and len(r["symbols"]) == 5, r
    assert r["symbols"][0].startswith("w") and r["symbols"][-1].startswith("+β"), r
    # The next step of the same size fits again from the start; a step that fits is never elided.
    pg.evaluate("() => window.backpropLab.goTo(32)")  # the output's weighted sum: 16 products
    pg.wait_for_timeout(80)
    r = pg.evaluate(SUM)
    assert r["compact"] and r["products"] == 17 and r["hidden"] == 13, f"{viewport}: the output's sum of 16: {r}"
    pg.evaluate("() => window.backpropLab.goTo(16)")  # an activation, short: nothing to elide
    pg.wait_for_timeout(80)
    assert not pg.evaluate("() => document.querySelector('[data-formula]').classList.contains('compact-sums')")
    assert not pg.errors, pg.errors
