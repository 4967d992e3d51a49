"""The page in a real Chromium against a real server: the lecture's example, stepped,
edited and projected, every number checked against the API."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .statehelp import edit as typed

EXPLAIN = "[data-testid=explain]"


def idle(page):
    """Wait until the latest request has its answer."""
    expect(page.locator("[data-region=status][data-pending]")).to_have_count(0)


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
    # Enter handed the keyboard back to the weight, inside the diagram, where the arrows move
    # between elements: the clicker's key steps the player from anywhere.
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
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
    # The update phase shows old → new on the weight the step updates, and the gradient its formula uses.
    expect(page.locator('[data-edge-label="L1W0_0"]')).to_have_text(re.compile(r"^0\.1\s*→ 0\.1107\s*∂ −0\.0213$"))
    expect(page.locator('[data-edge="L1W0_0"]')).to_have_attribute("data-new", repr(expected["network_after"]["layers"][0]["weights"][0][0]))
    page.keyboard.press("End")
    expect(page.locator('[data-edge-label="L2W0_0"]')).to_have_text(re.compile(r"^0\.6\s*→ 0\.767(\s*∂ −0\.334)?$"))
    page.get_by_role("button", name=re.compile("Apply")).click()
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", re.compile(r"^0\.767"))
    expect(page.locator(EXPLAIN)).to_contain_text("Step 1 of 33")


# The keyboard: tests/browser/test_keyboard.py


def test_hovering_a_formula_token_highlights_it_in_the_diagram(page):
    open_lecture(page)
    token = page.locator(f'{EXPLAIN} [data-line=symbols] [data-ref="L1W0_0"]').first
    token.hover()
    expect(page.locator('[data-edge="L1W0_0"]')).to_have_class(re.compile(r"\bhl\b"))


def test_the_explanation_and_build_panels_fold_away_for_a_wider_diagram(page):
    open_lecture(page)
    explain = page.locator(EXPLAIN)
    expect(explain).to_be_visible()
    width = page.locator('[data-region="diagram"]').bounding_box()["width"]
    page.keyboard.press("e")
    expect(explain).to_be_hidden()
    expect(page.get_by_role("button", name="Explain")).to_have_attribute("aria-expanded", "false")
    page.wait_for_function(f"document.querySelector('[data-region=diagram]').getBoundingClientRect().width > {width + 100}")
    page.get_by_role("button", name="Explain").click()
    expect(explain).to_be_visible()
    page.keyboard.press("b")
    expect(page.get_by_role("button", name="Build")).to_have_attribute("aria-expanded", "true")


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


def edit(page, ref, text):
    """Type into a diagram element and press Enter, without waiting for the answer."""
    typed(page, ref, text, settle=False)


def test_a_refused_edit_stays_with_the_servers_message_and_divergence_is_shown(page):
    # The browser itself logs the refused request; that one console error is expected.
    page.allowed_console = [r"status of 422 \(Unprocessable Entity\)"]
    open_lecture(page, "?panel")
    page.locator("[data-control=loss]").select_option("bce")
    expect(page.locator("[data-control=activation-2]")).to_have_value("sigmoid")
    expect(page.locator("[data-testid=loss]")).not_to_contain_text("0.1276")
    edit(page, "Y0", "2")
    expect(page.locator("[data-status]")).to_contain_text("bce targets must lie in [0, 1]")
    target = page.locator('[data-target="Y0"]')
    expect(target).to_have_attribute("data-value", "2")  # the edit is kept
    expect(target).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-apply]")).to_be_disabled()
    edit(page, "Y0", "1")
    idle(page)
    expect(page.locator("[data-status]")).to_have_text("")
    expect(target).not_to_have_attribute("aria-invalid", "true")
    # A weight so large the loss overflows: a result, not a crash; nothing to apply.
    page.locator("[data-control=loss]").select_option("mse")
    edit(page, "L2W0_0", "1e308")
    expect(page.locator("[data-diverged]")).to_be_visible()
    expect(page.locator("[data-testid=loss]")).to_contain_text("∞")
    expect(page.locator("[data-apply]")).to_be_disabled()
    page.keyboard.press("End")
    expect(page.locator(EXPLAIN)).to_contain_text("Step 33 of 33")


def test_a_batch_traces_the_chosen_sample_and_shows_its_share(page, api):
    page.goto(page.base_url + "/?preset=two-outputs&panel")
    expect(page.locator("[data-sample-row]")).to_have_count(2)
    body = api.get("/api/presets/two-outputs")
    body["trace_sample"] = 1
    expected = api.step(body)
    page.locator('[data-trace-sample="1"]').check()
    idle(page)
    expect(page.locator('[data-node="L0N1"]')).to_have_attribute("data-value", "2")
    step = next(s for s in api.explain(body)["steps"] if s["kind"] == "grad_weight")
    page.locator("[data-step-slider]").fill(str(step["i"]))
    expect(page.locator("[data-batch-note]")).to_be_visible()
    # The step names its numbers by address: the batch total and this sample's share.
    layer, row, col = map(int, step["value"].split(":")[1].split(","))
    assert step["contribution"] == f"dLn/dW:{layer},{row},{col}"
    total = expected["layers"][layer - 1]["grad_weights"][row][col]
    share = expected["sample_grads"][layer - 1]["weights"][row][col]
    expect(page.locator("[data-batch-total]")).to_have_text(fmt(page, total))
    expect(page.locator("[data-batch-share]")).to_have_text(fmt(page, share))
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_have_text(re.compile(re.escape(fmt(page, share))))
    page.locator("[data-control=add-sample]").click()
    expect(page.locator("[data-sample-row]")).to_have_count(3)
    expect(page.locator("[data-testid=loss]")).to_contain_text("batch of 3")


def fmt(page, v):
    """A number as the page formats it (static/js/format.js, the one place numbers are formatted)."""
    return page.evaluate("async (v) => (await import('./static/js/format.js')).fmt(v)", v)


def test_building_the_network_recomputes_and_keeps_every_hook(page):
    open_lecture(page, "?panel")
    page.locator("[data-control=add-layer]").click()
    expect(page.locator("[data-layer-row]")).to_have_count(4)
    page.get_by_role("button", name="Add a unit to Hidden 1").click()
    expect(page.locator("[data-node^=L1N]")).to_have_count(3)
    expect(page.locator("[data-node]")).to_have_count(3 + 3 + 2 + 1)
    expect(page.locator("[data-edge]")).to_have_count(3 * 3 + 3 * 2 + 2 * 1)
    page.locator("[data-control=activation-2]").select_option("tanh")
    page.locator("[data-control=loss]").select_option("cross_entropy")
    expect(page.locator("[data-node^=L3N]")).to_have_count(2)
    expect(page.locator('[data-target="Y0"]')).to_contain_text("class 0")
    page.locator("[data-control=optimizer]").select_option("adam")
    page.locator("[data-control=lr]").fill("0.01")
    page.locator("[data-control=lr]").press("Enter")
    idle(page)
    expect(page.locator("[data-status]")).to_have_text("")
    page.keyboard.press("End")
    expect(page.locator(EXPLAIN)).to_contain_text("Update")
    before = page.locator('[data-edge="L3W0_0"]').get_attribute("data-new")
    page.locator("[data-apply]").click()
    expect(page.locator('[data-edge="L3W0_0"]')).to_have_attribute("data-weight", before)
    idle(page)
    page.keyboard.press("End")
    expect(page.locator("[data-apply]")).to_be_enabled()
    page.locator("[data-apply]").click()  # a second step by hand, Adam's state carried over
    expect(page.locator(EXPLAIN)).to_contain_text("Step 1 of")
    # The values table follows the diagram.
    page.locator("summary", has_text="All values").click()
    expect(page.locator('[data-value-row="W:3,0,0"] td').first).to_have_text(re.compile(r"^−?\d"))


def test_dragging_a_weight_scrubs_its_value(page):
    open_lecture(page)
    hit = page.locator('[data-edge="L2W0_0"] line.hit')
    box = hit.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y, steps=4)
    page.mouse.up()
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.8")
    expect(page.locator("[data-editor]")).to_have_count(0)
    expect(page.locator("[data-testid=loss]")).not_to_contain_text("0.1276")


def test_a_drag_shows_each_answer_while_the_button_is_still_down(page, api):
    open_lecture(page)
    box = page.locator('[data-edge="L2W0_0"] line.hit').bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    yhat = page.locator('[data-node="L2N0"]')
    page.mouse.move(x, y)
    page.mouse.down()
    shown = []
    for dx in (10, 20, 30):  # 0.01 per pixel from 0.6: w₀ᵒᵘᵗ = 0.7, 0.8, 0.9
        before = yhat.get_attribute("data-value")
        page.mouse.move(x + dx, y)
        expect(yhat).not_to_have_attribute("data-value", before)  # ŷ from the server, the hand still down
        shown.append(yhat.get_attribute("data-value"))
    body = api.get("/api/presets/lecture")
    body["network"]["layers"][1]["weights"][0][0] = 0.9
    expect(yhat).to_have_attribute("data-value", repr(api.step(body)["output"][0][0]))
    page.mouse.up()
    assert len(set(shown)) == 3, shown
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.9")


def test_changing_a_value_does_not_fetch_the_explanation_again(page, api):
    explains = []
    page.on("request", lambda r: explains.append(r.url) if r.url.endswith("/api/explain") else None)
    open_lecture(page)
    assert len(explains) == 1, explains  # once for the lecture's structure
    page.keyboard.press("ArrowRight")
    expect(page.locator(EXPLAIN)).to_contain_text("Step 2 of 33")
    page.evaluate("() => { window.shownRow = document.querySelector('[data-testid=explain] [data-line=value]'); }")
    edit(page, "L2W0_0", "0.5")
    edit(page, "L0N1", "0.1")
    idle(page)
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.5")
    assert page.evaluate("() => window.shownRow.isConnected"), "new numbers rebuilt the formula instead of changing its text"
    body = api.get("/api/presets/lecture")
    body["network"]["layers"][1]["weights"][0][0] = 0.5
    body["x"][0][1] = 0.1
    expected = api.step(body)
    expect(page.locator('[data-node="L2N0"]')).to_have_attribute("data-value", repr(expected["output"][0][0]))
    expect(page.locator(EXPLAIN)).to_contain_text("Step 2 of 33")
    # The formula's numbers, changed in place by the answers, read as the step drawn afresh does.
    step = api.explain(body)["steps"][1]
    value = resolve(api.get("/api/registry")["quantities"], {"request": body, "response": expected}, step["value"])
    formula = page.locator(f"{EXPLAIN} [data-formula]")
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_have_text(re.compile(re.escape(fmt(page, value))))
    in_place = formula.text_content()
    page.locator("[data-player=next]").click()
    expect(page.locator(EXPLAIN)).to_contain_text("Step 3 of 33")
    page.locator("[data-player=previous]").click()
    expect(page.locator(EXPLAIN)).to_contain_text("Step 2 of 33")
    expect(formula).to_have_text(in_place)
    assert len(explains) == 1, "a value edit fetched the explanation again"
    # A structural edit (one more hidden unit) does fetch it, once.
    page.keyboard.press("b")
    page.get_by_role("button", name="Add a unit to Hidden 1").click()
    idle(page)
    expect(page.locator(EXPLAIN)).to_contain_text("Step 2 of 47")
    assert len(explains) == 2, explains


def test_every_value_the_explanation_shows_is_the_apis_number_at_its_address(page, api):
    open_lecture(page)
    body = api.get("/api/presets/lecture")
    answer = api.step(body)
    explanation = api.explain(body)
    assert answer["explain_key"] == explanation["key"]
    table = api.get("/api/registry")["quantities"]
    for step in explanation["steps"]:
        page.locator("[data-step-slider]").fill(str(step["i"]))
        expect(page.locator(EXPLAIN)).to_contain_text(f"Step {step['i'] + 1} of 33")
        ctx = {"request": body, "response": answer}
        value = resolve(table, ctx, step["value"])
        expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_have_text(re.compile(re.escape(fmt(page, value))))
        # and every number substituted into the formula is the API's number at the address it carries
        shown = page.locator(f"{EXPLAIN} [data-line=numbers] [data-address]")
        for k in range(shown.count()):
            number = shown.nth(k)
            expected = fmt(page, resolve(table, ctx, number.get_attribute("data-address")))
            assert number.text_content().strip("()") == expected, (step["i"], number.get_attribute("data-address"))


def resolve(table, ctx, address):
    """The number at an address, walking the served quantity table's path (independent of the page)."""
    q, _, rest = address.partition(":")
    spec = table[q]
    values = dict(zip(spec["indices"], map(int, rest.split(","))) if rest else {})
    node = ctx[spec["root"]]
    for segment in spec["path"]:
        key = re.sub(r"\{(\w+)(-1)?\}", lambda m: str(values[m.group(1)] - (1 if m.group(2) else 0)), segment)
        node = node[int(key)] if key.isdigit() else node[key]
    return node


@pytest.mark.parametrize("width, height, query", [
    (1024, 768, "?preset=xor"), (1024, 768, "?preset=xor&present"), (1024, 768, "?preset=mini-mlp&panel"),
    (1280, 720, "?preset=xor&present"),
])
def test_the_page_is_never_wider_than_a_projector_and_apply_stays_on_screen(page, width, height, query):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(page.base_url + "/" + query)
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for hook in ("[data-apply]", "[data-control=present]", "[data-testid=loss]", "[data-player=next]"):
        box = page.locator(hook).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, hook
