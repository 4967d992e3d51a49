"""The page in a real Chromium against a real server: the lecture's example, stepped,
edited and projected, every number checked against the API."""

from __future__ import annotations

import re

from playwright.sync_api import expect

EXPLAIN = "[data-testid=explain]"


def open_lecture(page, query=""):
    page.goto(page.base_url + "/" + query)
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    expect(page.locator("[data-testid=loss]")).to_contain_text("0.1276")


def test_the_page_loads_the_lecture_preset_with_no_console_error(page):
    open_lecture(page)
    expect(page).to_have_title("Backprop Lab")
    expect(page.locator("[data-control=preset]")).to_have_value("lecture")
    expect(page.locator(EXPLAIN)).to_contain_text("Step 1 of 33")


def test_the_diagram_has_the_right_neurons_edges_biases_and_target(page, api):
    open_lecture(page)
    preset = api.get("/api/presets/lecture")
    nodes = page.locator("[data-node]")
    expect(nodes).to_have_count(3 + 2 + 1)
    for layer, units in enumerate([3, 2, 1]):
        for u in range(units):
            expect(page.locator(f'[data-node="L{layer}N{u}"]')).to_have_count(1)
    expect(page.locator("[data-edge]")).to_have_count(3 * 2 + 2 * 1)
    for i, layer in enumerate(preset["network"]["layers"], start=1):
        for row, weights in enumerate(layer["weights"]):
            for col, w in enumerate(weights):
                edge = page.locator(f'[data-edge="L{i}W{row}_{col}"]')
                assert float(edge.get_attribute("data-weight")) == w
        for u, b in enumerate(layer["biases"]):
            expect(page.locator(f'[data-bias="L{i}B{u}"]')).to_have_attribute("data-value", re.compile(r"^0(\.0)?$"))
    expect(page.locator('[data-target="Y0"]')).to_contain_text("1.0")
    for u, x in enumerate([0.2, 0.9, -1.1]):
        assert float(page.locator(f'[data-node="L0N{u}"]').get_attribute("data-value")) == x


def test_stepping_the_forward_phase_shows_each_neurons_formula_and_yhat(page):
    open_lecture(page)
    explain = page.locator(EXPLAIN)
    value = explain.locator("[data-line=value]")
    numbers = explain.locator("[data-line=numbers]")
    expected = [
        ("Weighted sum", "0.1·0.2+0.2·0.9+0.3·(−1.1)+0.0", "−0.13"),
        ("Weighted sum", "0.3·0.2+0.5·0.9+0.4·(−1.1)+0.0", "0.07"),
        ("Activation", "σ(−0.13)", "0.4675"),
        ("Activation", "σ(0.07)", "0.5175"),
        ("Weighted sum", "0.6·0.4675+0.7·0.5175+0.0", "0.6428"),
    ]
    nxt = page.get_by_role("button", name=re.compile("Next"))
    for i, (title, subst, result) in enumerate(expected):
        expect(explain).to_contain_text(f"Step {i + 1} of 33")
        expect(explain.locator(".explain-title")).to_have_text(title)
        expect(numbers).to_have_text(re.compile(re.escape(subst).replace("\\+", r"\s*\+\s*")))
        expect(value).to_have_text(re.compile(re.escape(result)))
        if i < len(expected) - 1:
            nxt.click()
    # The output neuron now shows ŷ = 0.6428 in the diagram too.
    expect(page.locator('[data-node="L2N0"] .value')).to_have_text("0.6428")
    expect(page.locator('[data-node="L1N0"] .value')).to_have_text("0.4675")
    expect(page.locator('[data-node="L1N1"] .value')).to_have_text("0.5175")
    # Symbols in the first row: ŷ = w₀ᵒᵘᵗ·z⁰ + …, as MathML.
    expect(explain.locator("[data-line=symbols] msubsup").first).to_be_visible()


def test_editing_the_first_output_weight_recomputes_through_the_api(page, api):
    open_lecture(page)
    page.keyboard.press("ArrowRight")  # the player keeps its position through the edit
    page.locator('[data-edge="L2W0_0"] line.hit').click()
    editor = page.locator('[data-editor="L2W0_0"]')
    expect(editor).to_be_focused()
    editor.fill("0.5")
    editor.press("Enter")
    body = api.get("/api/presets/lecture")
    body["network"]["layers"][1]["weights"][0][0] = 0.5
    expected = api.step(body)
    yhat = expected["output"][0][0]
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.5")
    expect(page.locator('[data-node="L2N0"]')).to_have_attribute("data-value", repr(yhat))
    expect(page.locator("[data-testid=loss]")).to_contain_text(f"{expected['loss']:.4f}"[:5])
    expect(page.locator(EXPLAIN)).to_contain_text("Step 2 of 33")
    page.keyboard.press("5")  # not a shortcut: nothing happens
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"{EXPLAIN} [data-line=numbers]")).to_contain_text("0.5·0.4675")
    expect(page.locator('[data-node="L2N0"] .value')).to_have_text(f"{yhat:.4f}".rstrip("0"))


def test_the_backward_phase_sets_data_grad_on_every_edge_equal_to_the_api(page, api):
    open_lecture(page)
    expected = api.step(api.get("/api/presets/lecture"))
    page.get_by_role("button", name=re.compile("Backward")).click()
    expect(page.locator(EXPLAIN)).to_contain_text("Backward")
    expect(page.locator("[data-edge][data-grad]")).to_have_count(0)  # none computed yet
    page.keyboard.press("4")  # the whole backward pass is done once the update starts
    expect(page.locator("[data-edge][data-grad]")).to_have_count(8)
    for i, layer in enumerate(expected["layers"], start=1):
        for row, grads in enumerate(layer["grad_weights"]):
            for col, g in enumerate(grads):
                edge = page.locator(f'[data-edge="L{i}W{row}_{col}"]')
                assert abs(float(edge.get_attribute("data-grad")) - g) <= 1e-12 * max(1, abs(g))
    # The update phase shows old → new on the weight the step updates.
    expect(page.locator('[data-edge-label="L1W0_0"]')).to_have_text(re.compile(r"^0\.1\s*→ 0\.1107$"))
    expect(page.locator('[data-edge="L1W0_0"]')).to_have_attribute("data-new", repr(expected["network_after"]["layers"][0]["weights"][0][0]))
    page.keyboard.press("End")
    expect(page.locator('[data-edge-label="L2W0_0"]')).to_have_text(re.compile(r"^0\.6\s*→ 0\.767$"))
    page.get_by_role("button", name=re.compile("Apply")).click()
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", re.compile(r"^0\.767"))
    expect(page.locator(EXPLAIN)).to_contain_text("Step 1 of 33")


def test_keyboard_stepping_works(page):
    open_lecture(page)
    explain = page.locator(EXPLAIN)
    page.keyboard.press("ArrowRight")
    expect(explain).to_contain_text("Step 2 of 33")
    page.keyboard.press("Space")
    expect(explain).to_contain_text("Step 3 of 33")
    page.keyboard.press("ArrowLeft")
    expect(explain).to_contain_text("Step 2 of 33")
    page.keyboard.press("End")
    expect(explain).to_contain_text("Step 33 of 33")
    page.keyboard.press("Home")
    expect(explain).to_contain_text("Step 1 of 33")
    page.keyboard.press("2")
    expect(explain).to_contain_text("Step 6 of 33 · Loss")
    page.keyboard.press("3")
    expect(explain).to_contain_text("Step 7 of 33 · Backward")
    # Tab reaches the diagram; Enter on a weight opens its editor, Escape closes it.
    page.locator('[data-edge="L1W0_0"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-editor="L1W0_0"]')).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("[data-editor]")).to_have_count(0)
    expect(page.locator('[data-edge="L1W0_0"]')).to_be_focused()
    page.keyboard.press("ArrowUp")  # nudges the focused weight by 0.1
    expect(page.locator('[data-edge="L1W0_0"]')).to_have_attribute("data-weight", "0.2")
    expect(page.locator("[data-testid=loss]")).not_to_contain_text("0.1276")


def test_hovering_a_formula_token_highlights_it_in_the_diagram(page):
    open_lecture(page)
    token = page.locator(f'{EXPLAIN} [data-line=symbols] [data-ref="L1W0_0"]').first
    token.hover()
    expect(page.locator('[data-edge="L1W0_0"]')).to_have_class(re.compile(r"\bhl\b"))


def test_presentation_mode_leaves_no_text_under_24px(page):
    open_lecture(page)
    assert page.evaluate(SMALL_TEXT), "the check must see the normal mode's smaller text"
    page.get_by_role("button", name="Present").click()
    expect(page.locator("html")).to_have_attribute("data-presenting", "")
    for key in ["ArrowRight"] * 4 + ["3", "ArrowRight", "ArrowRight", "4", "ArrowRight"]:
        page.keyboard.press(key)
        small = page.evaluate(SMALL_TEXT)
        assert small == [], f"text under 24 px after {key}: {small[:10]}"


# Every visible element with its own non-blank text (SVG and MathML included), and its size.
SMALL_TEXT = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || rect.width === 0 || rect.height === 0) continue;
    if (el.closest('[hidden], [visibility=hidden], [display=none], title, option')) continue;
    const size = parseFloat(style.fontSize);
    if (size < 24) out.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${size}px`);
  }
  return out;
}"""
