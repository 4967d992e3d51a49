"""The diagram and the PyTorch views linked: side by side on a wide screen, a hover in one marks
the same quantity in the other, a click selects it in every view, and the views fit a projector."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .layout_checks import SMALL_TEXT
from .statehelp import idle as linked
from .test_page import EXPLAIN, idle, open_lecture
from .test_torch_views import open_view, post_text, step_body

HL = re.compile(r"\bhl\b")
FOCUS = re.compile(r"\bfocus\b")


def open_beside(page, view, query=""):
    page.goto(page.base_url + f"/?beside&view={view}{query}")
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    expect(page.locator('[data-view="diagram"]')).to_be_visible()
    panel = page.locator(f'[data-view="{view}"]')
    expect(panel).to_be_visible()
    return panel


def test_beside_the_diagram_shows_both_and_a_hover_in_either_marks_the_other(page):
    panel = open_beside(page, "tensors")
    expect(page.locator("[data-control=beside]")).to_be_checked()
    # The two share the stage, side by side.
    diagram = page.locator('[data-view="diagram"]').bounding_box()
    view = panel.bounding_box()
    assert diagram["x"] + diagram["width"] <= view["x"] + 1 and abs(diagram["y"] - view["y"]) < 2
    # A weight hovered in the diagram: its cell in both forms of the tensor view.
    page.locator('[data-edge="L1W1_2"]').hover()
    expect(panel.locator('td.hl[data-address="W:1,1,2"]')).to_have_count(2)
    # A cell hovered in the tensor view: its edge in the diagram.
    panel.locator('[data-form="notation"] td[data-address="W:1,0,1"]').hover()
    expect(page.locator('[data-edge="L1W0_1"]')).to_have_class(HL)
    expect(page.locator('[data-edge="L1W1_2"]')).not_to_have_class(HL)
    # Off again: the neurons alone.
    page.locator("[data-control=beside]").uncheck()
    expect(page.locator('[data-view="diagram"]')).to_be_hidden()
    expect(panel).to_be_visible()


def test_the_graph_and_the_diagram_mark_each_others_quantities(page):
    panel = open_beside(page, "graph")
    # A hidden neuron: the backward nodes of the operations that computed it (Addmm → s, Sigmoid → z).
    page.locator('[data-node="L1N0"]').hover()
    marked = panel.locator(".graph-node.hl")
    expect(marked).to_have_count(2)
    assert sorted(marked.evaluate_all("(ns) => ns.map((n) => n.dataset.gradFn)")) == ["AddmmBackward0", "SigmoidBackward0"]
    # A leaf hovered in the graph: every weight of that tensor in the diagram.
    panel.locator('[data-param="W:2"]').hover()
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_class(HL)
    expect(page.locator('[data-edge="L2W0_1"]')).to_have_class(HL)
    expect(page.locator('[data-edge="L1W0_0"]')).not_to_have_class(HL)


def test_the_modules_and_the_code_mark_the_diagrams_quantity_and_back(page):
    panel = open_beside(page, "modules")
    page.locator('[data-edge="L2W0_1"]').hover()
    expect(panel.locator('[data-module="linear2"]')).to_have_class(HL)
    expect(panel.locator('[data-module="linear1"]')).not_to_have_class(HL)
    panel.locator('[data-tensor="z1"]').hover()
    expect(page.locator('[data-node="L1N0"]')).to_have_class(HL)
    expect(page.locator('[data-node="L1N1"]')).to_have_class(HL)
    page.locator('[data-view-tab="code"]').click()
    code = page.locator('[data-view="code"]')
    expect(code.locator(".code-line").first).to_be_visible()
    page.locator('[data-edge="L2W0_1"]').hover()
    lines = code.locator(".code-line.hl")
    expect(lines.first).to_be_visible()
    assert all("linear_2.weight" in t for t in lines.all_text_contents())
    code.locator(".code-line", has_text="linear_1.bias.copy_").hover()
    expect(page.locator('[data-bias="L1B0"]')).to_have_class(HL)
    expect(page.locator('[data-bias="L1B1"]')).to_have_class(HL)


def test_a_selected_quantity_stays_marked_in_every_view(page):
    open_lecture(page)
    # Enter on a neuron selects it (it has no editor); a click on a weight selects it too.
    page.locator('[data-node="L1N1"]').focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.backpropLab.state.focus") == "L1N1"
    page.locator('[data-edge="L2W0_1"]').click()
    page.keyboard.press("Escape")  # the editor the click opened
    assert page.evaluate("window.backpropLab.state.focus") == "L2W0_1"
    expect(page.locator('[data-edge="L2W0_1"]')).to_have_class(FOCUS)
    tensors = open_tab(page, "tensors")
    expect(tensors.locator('td.focus[data-address="W:2,0,1"]')).to_have_count(2)
    expect(tensors.locator("td.focus")).to_have_count(2)
    modules = open_tab(page, "modules")
    expect(modules.locator('[data-module="linear2"]')).to_have_class(FOCUS)
    graph = open_tab(page, "graph")
    expect(graph.locator('[data-param="W:2"]')).to_have_class(FOCUS)
    expect(graph.locator('[data-param="W:1"]')).not_to_have_class(FOCUS)
    code = open_tab(page, "code")
    expect(code.locator(".code-line.focus").first).to_be_visible()
    assert all("linear_2.weight" in t for t in code.locator(".code-line.focus").all_text_contents())
    # A cell clicked in the tensor view selects its element in the diagram.
    tensors = open_tab(page, "tensors")
    tensors.locator('[data-form="notation"] td[data-address="b:1,0"]').click()
    open_tab(page, "diagram")
    expect(page.locator('[data-bias="L1B0"]')).to_have_class(FOCUS)
    expect(page.locator('[data-edge="L2W0_1"]')).not_to_have_class(FOCUS)


def open_tab(page, view):
    page.locator(f'[data-view-tab="{view}"]').click()
    panel = page.locator(f'[data-view="{view}"]')
    expect(panel).to_be_visible()
    return panel


def test_the_players_step_marks_its_node_in_the_graph_in_every_phase(page):
    panel = open_view(page, "graph")
    # Step 1 computes s⁰ of layer 1: the AddmmBackward0 of layer 1 is its node.
    player = panel.locator(".graph-node.player")
    expect(player).to_have_count(1)
    expect(player).to_have_attribute("data-grad-fn", "AddmmBackward0")
    expect(player).to_have_attribute("data-tensor", "n:1")
    page.locator('[data-phase-button="update"]').click()
    expect(panel.locator(".graph-node.player[data-grad-fn=AccumulateGrad]")).to_have_count(1)


def test_beside_is_kept_in_the_link_and_needs_a_wide_window(page):
    open_lecture(page)
    page.locator("[data-control=beside]").check()
    expect(page.locator('[data-view="tensors"]')).to_be_visible()
    expect(page.locator('[data-view="diagram"]')).to_be_visible()
    page.evaluate("window.backpropLab.setValue('W:1,0,0', 0.25)")  # an edit: the link is rewritten
    linked(page)  # the answer and the link, which is written at idle time
    expect(page).to_have_url(re.compile(r"#v1\."))
    url = page.url
    page.goto("about:blank")
    page.goto(url)
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    expect(page.locator("[data-control=beside]")).to_be_checked()
    expect(page.locator('[data-view="diagram"]')).to_be_visible()
    expect(page.locator('[data-view="tensors"]')).to_be_visible()
    # Narrower than 1280 px: one view at a time, and the switch says why it is off.
    page.set_viewport_size({"width": 1100, "height": 720})
    expect(page.locator('[data-view="diagram"]')).to_be_hidden()
    expect(page.locator("[data-control=beside]")).to_be_disabled()


def open_present(page, view, preset):
    page.goto(page.base_url + f"/?preset={preset}&present&view={view}")
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    idle(page)
    panel = page.locator(f'[data-view="{view}"]')
    expect(panel).to_be_visible()
    return panel


def fits_presentation(page, view):
    small = page.evaluate(SMALL_TEXT, 24)
    assert small == [], f"text under 24 px in the {view} view: {small[:5]}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_graph_fits_1280x720_presentation_with_every_api_node(page, api):
    for preset in ["lecture", "mini-mlp"]:
        panel = open_present(page, "graph", preset)
        graph = api.step(step_body(api, preset))["autograd"]
        expect(panel.locator("[data-grad-fn]")).to_have_count(len(graph["nodes"]) - 1)
        fits_presentation(page, "graph")
        svg = panel.locator("svg.autograd").bounding_box()
        wrap = panel.locator(".graph-wrap").bounding_box()
        assert svg["y"] + svg["height"] <= wrap["y"] + wrap["height"] + 1, f"{preset}: the graph is taller than its panel"
        assert svg["x"] >= wrap["x"] - 1 and svg["x"] + svg["width"] <= wrap["x"] + wrap["width"] + 1, f"{preset}: wider than its panel"


def test_mini_mlps_wide_tensor_fits_the_modules_view_at_1024x768_presentation(page):
    page.set_viewport_size({"width": 1024, "height": 768})
    panel = open_present(page, "modules", "mini-mlp")
    panel.locator('[data-tensor="x"]').hover()
    expect(panel.locator(".mod-detail td[data-address]")).to_have_count(8)
    fits_presentation(page, "modules")
    assert panel.evaluate("(p) => p.scrollWidth <= p.clientWidth && p.scrollHeight <= p.clientHeight")


def test_the_tensor_view_shows_one_layer_at_a_time_when_they_do_not_fit(page):
    panel = open_present(page, "tensors", "lecture")
    # The player's step is in layer 1: layer 1 shown, layer 2 a button away.
    expect(panel.locator('[data-layer="1"]')).to_be_visible()
    expect(panel.locator('[data-layer="2"]')).to_be_hidden()
    panel.locator('[data-show-layer="2"]').click()
    expect(panel.locator('[data-layer="2"]')).to_be_visible()
    expect(panel.locator('[data-layer="1"]')).to_be_hidden()
    fits_presentation(page, "tensors")
    # The loss step is about the last layer's output.
    page.locator('[data-phase-button="loss"]').click()
    expect(panel.locator('[data-layer="2"]')).to_be_visible()


def test_a_crowded_matrix_keeps_the_steps_numbers_and_shows_all_on_demand(page):
    panel = open_present(page, "tensors", "mini-mlp")
    w = panel.locator('[data-layer="1"] [data-form="notation"] [data-matrix="W"]')
    # Step 1 is s⁰ of layer 1: W's first row is kept (as many of its 8 weights as the projector has
    # room for, the first and the last among them); most of the 16 rows are elided.
    kept = w.locator('td[data-address^="W:1,0,"]')
    expect(kept.first).to_have_attribute("data-address", "W:1,0,0")
    expect(kept.last).to_have_attribute("data-address", "W:1,0,7")
    assert 3 <= kept.count() <= 8
    expect(panel.locator('[data-layer="1"] [data-form="notation"] [data-matrix="s"] td.current[data-address="s:1,0,0"]')).to_be_visible()
    shown = w.locator("td[data-address]").count()
    assert 8 <= shown < 16 * 8
    expect(panel.locator('[data-form="notation"] [data-shape]').first).to_have_text("(16,8)")
    w.locator("[data-expand]").first.click()
    expect(w.locator("td[data-address]")).to_have_count(16 * 8)
    panel.locator("[data-control=elide]").click()
    expect(w.locator("td[data-address]")).to_have_count(shown)
    # The player moves on to the next unit: its row of W is kept too.
    page.keyboard.press("ArrowRight")
    target = page.evaluate("window.backpropLab.steps[window.backpropLab.state.step].target")
    unit = int(target.split(",")[-1])
    assert target.startswith(("s:1,", "z:1,")) and unit > 0
    row = w.locator(f'td[data-address^="W:1,{unit},"]')
    expect(row.first).to_have_attribute("data-address", f"W:1,{unit},0")
    assert row.count() >= 3


def test_beside_in_presentation_needs_the_room_of_a_closed_build_panel(page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(page.base_url + "/?present&panel&beside&view=tensors")
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    # The build panel open: too narrow for two views at 24 px, the tensors alone.
    expect(page.locator('[data-view="tensors"]')).to_be_visible()
    expect(page.locator('[data-view="diagram"]')).to_be_hidden()
    page.evaluate("window.backpropLab.set({ panelOpen: false }, 'panel')")
    expect(page.locator('[data-view="diagram"]')).to_be_visible()
    expect(page.locator('[data-view="tensors"]')).to_be_visible()
    fits_presentation(page, "tensors beside the diagram")


def test_the_players_step_marks_its_lines_in_the_code(page):
    panel = open_view(page, "code")
    current = panel.locator(".code-line.current")
    # Step 1 computes s⁰ of layer 1: the forward line of linear_1 is marked.
    expect(current.first).to_be_visible()
    assert all("self.linear_1(" in t or "self.activation_1(" in t for t in current.all_text_contents())
    # The update phase's first step is a parameter's: its lines (loaded, printed) are marked, no forward line.
    page.locator('[data-phase-button="update"]').click()
    expect(current.first).to_contain_text(re.compile(r"linear_\d\.(weight|bias)"))
    assert all(re.search(r"linear_\d\.(weight|bias)", t) for t in current.all_text_contents())


# Each torch view at every projector size, normal and presenting: test_torch_fit.py.


def test_the_code_view_on_a_projector_folds_what_the_step_does_not_use_and_copies_it_whole(page, server):
    panel = open_present(page, "code", "mini-mlp")
    current = panel.locator(".code-line.current")
    expect(current.first).to_contain_text("self.linear_1(")
    folds = panel.locator("[data-fold]")
    assert folds.count() >= 3
    # A fold says what it holds; Enter opens it, its lines in place of the summary.
    init = panel.locator("[data-fold]", has_text="def __init__(self):")
    expect(init).to_contain_text("lines)")
    expect(panel.locator(".code-line", has_text="self.linear_1 = nn.Linear(8, 16")).to_have_count(0)
    init.focus()
    page.keyboard.press("Enter")
    expect(panel.locator(".code-line", has_text="self.linear_1 = nn.Linear(8, 16")).to_be_visible()
    # The update phase: the loaded weights' line is shown (its numbers shortened), the forward folded.
    page.locator('[data-phase-button="update"]').click()
    expect(current.first).to_contain_text(re.compile(r"linear_\d\.(weight|bias)"))
    expect(panel.locator(".code-line", has_text="x = self.linear_1(x)")).to_have_count(0)
    # Copy gives the whole script, as the server wrote it.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    panel.locator("[data-control=copy-code]").click()
    expect(panel.locator("[data-copied]")).to_have_text("Copied")
    script = post_text(server, "/api/code", page.evaluate("window.backpropLab.body()"))
    assert page.evaluate("navigator.clipboard.readText()") == script


def test_the_tensor_cells_are_one_tab_stop_and_enter_selects_the_edge_in_the_diagram(page):
    panel = open_beside(page, "tensors")
    step = page.evaluate("window.backpropLab.state.step")
    page.locator("[data-control=notation]").focus()
    # Past the bar's buttons (the layer picker when the layers do not all fit), the cells: one tab stop.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('[data-tensors]') !== null"):
            break
    cell = lambda a: panel.locator(f'[data-form="notation"] td[data-address="{a}"]')
    expect(cell("W:1,0,0")).to_be_focused()
    expect(panel.locator('td[tabindex="0"]')).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(cell("W:1,0,1")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(cell("W:1,1,1")).to_be_focused()
    # The cell in hand is marked in the diagram as a hover is; the arrows do not step the player.
    expect(page.locator('[data-edge="L1W1_1"]')).to_have_class(HL)
    assert page.evaluate("window.backpropLab.state.step") == step
    page.keyboard.press("Enter")
    expect(page.locator('[data-edge="L1W1_1"]')).to_have_class(FOCUS)
    assert page.evaluate("window.backpropLab.state.focus") == "L1W1_1"
    expect(cell("W:1,1,1")).to_have_class(FOCUS)
    # One Tab leaves the cells.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('[data-tensors]')") is None


def test_every_graph_node_is_reached_by_the_arrow_keys_and_enter_acts_on_it(page):
    panel = open_view(page, "graph")
    panel.locator("[data-switches] summary").focus()
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.dataset.nodeId")
    assert first is not None
    expect(panel.locator('g.graph-node[tabindex="0"]')).to_have_count(1)
    # From each node reached, each arrow: together they reach every node.
    focus = "(id) => document.querySelector(`[data-view=graph] g[data-node-id='${id}']`).focus()"
    reached, frontier = {first}, [first]
    while frontier:
        node = frontier.pop()
        for key in ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]:
            page.evaluate(focus, node)
            page.keyboard.press(key)
            got = page.evaluate("document.activeElement.dataset.nodeId")
            if got and got not in reached:
                reached.add(got)
                frontier.append(got)
    ids = set(panel.locator("g.graph-node").evaluate_all("(gs) => gs.map((g) => g.dataset.nodeId)"))
    assert reached == ids
    # Enter on a leaf selects its parameter; on a backward node runs autograd up to it.
    page.evaluate("() => document.querySelector('[data-view=graph] [data-param=\"b:2\"]').focus()")
    page.keyboard.press("Enter")
    assert page.evaluate("window.backpropLab.state.selectedParam") == "b:2"
    addmm = panel.locator('[data-grad-fn="AddmmBackward0"]').first
    addmm.focus()
    page.keyboard.press("Enter")
    expect(addmm).to_have_class(re.compile(r"\bcurrent\b"))
    # A collapsed module: Enter expands it, the focus stays in the graph.
    panel.locator("[data-collapse=L1]").click()
    box = panel.locator("[data-module=L1]")
    box.focus()
    page.keyboard.press("Enter")
    expect(panel.locator("[data-module=L1]")).to_have_count(0)
    assert page.evaluate("document.activeElement.closest('[data-graph]') !== null")


def test_the_modules_views_values_are_one_tab_stop_and_enter_selects_one(page):
    panel = open_view(page, "modules")
    # The tensors between the modules: one tab stop, the arrows move (each shows its values).
    expect(panel.locator('.mod-flow button[tabindex="0"]')).to_have_count(1)
    panel.locator('[data-tensor="x"]').focus()
    page.keyboard.press("ArrowRight")
    expect(panel.locator('[data-tensor="s1"]')).to_be_focused()
    expect(panel.locator('.mod-detail[data-shown="s1"]')).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(panel.locator('[data-tensor="x"]')).to_be_focused()
    values = panel.locator(".mod-detail td[data-address]")
    expect(values).to_have_count(3)
    expect(panel.locator('.mod-detail td[tabindex="0"]')).to_have_count(1)
    # Tab: from the tensor in hand to its values.
    page.keyboard.press("Tab")
    expect(values.nth(0)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(values.nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("window.backpropLab.state.focus") == values.nth(1).get_attribute("data-ref")
    expect(values.nth(1)).to_have_class(FOCUS)
