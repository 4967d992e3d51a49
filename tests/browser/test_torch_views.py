"""The PyTorch views in a real Chromium against a real server: the tensors, the modules, the
autograd graph and the code, every number checked against the API's own answer."""

from __future__ import annotations

import json
import re
import urllib.request

from playwright.sync_api import expect

from .test_page import EXPLAIN, SMALL_TEXT, idle, open_lecture


def open_view(page, view, query=""):
    if "preset=" in query:
        page.goto(page.base_url + "/" + query)
        expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    else:
        open_lecture(page, query)
    page.locator(f'[data-view-tab="{view}"]').click()
    panel = page.locator(f'[data-view="{view}"]')
    expect(panel).to_be_visible()
    return panel


def step_body(api, preset="lecture", **changes):
    body = api.get(f"/api/presets/{preset}")
    body.update(changes)
    return body


def post_text(server, path, body):
    req = urllib.request.Request(server.url + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return r.read().decode()


def cell(panel, form, address):
    return float(panel.locator(f'[data-form="{form}"] td[data-address="{address}"]').first.get_attribute("data-value"))


def test_the_tensor_view_shows_each_layer_as_the_apis_matrices_with_their_shapes(page, api):
    panel = open_view(page, "tensors")
    body = step_body(api)
    answer = api.step(body)
    layer1 = panel.locator('[data-layer="1"]')
    expect(layer1.locator('[data-form="notation"] [data-shapes]')).to_have_text("(2,3)·(3,1) + (2,1) → (2,1)")
    expect(layer1.locator('[data-form="torch"] [data-shapes]')).to_have_text("(1,3)·(2,3)ᵀ + (2,) → (1,2)")
    for l, (spec, out) in enumerate(zip(body["network"]["layers"], answer["layers"]), start=1):
        for i, row in enumerate(spec["weights"]):
            for j, w in enumerate(row):
                assert cell(panel, "notation", f"W:{l},{i},{j}") == w
                assert cell(panel, "torch", f"W:{l},{i},{j}") == w
            assert cell(panel, "notation", f"s:{l},0,{i}") == out["pre"][0][i]
            assert cell(panel, "notation", f"z:{l},0,{i}") == out["post"][0][i]
    for j, x in enumerate(body["x"][0]):
        assert cell(panel, "notation", f"x:0,{j}") == x
    # The slide's other notation transposes W: its first row holds every unit's weight from x₀.
    page.locator("[data-control=notation]").select_option("slide-t")
    first_row = layer1.locator('[data-form="notation"] [data-matrix="W"] tr').first.locator("td")
    expect(first_row).to_have_count(2)
    assert [float(v) for v in first_row.evaluate_all("(tds) => tds.map((td) => td.dataset.value)")] == [0.1, 0.3]
    # The backward phase: ∂L/∂W = δ·aᵀ, the API's gradients.
    page.locator('[data-phase-button="backward"]').click()
    expect(layer1.locator('[data-form="backward"] [data-shapes]')).to_have_text("(2,1)·(3,1)ᵀ → (2,3); (2,1)")
    for l, out in enumerate(answer["layers"], start=1):
        for i, row in enumerate(out["grad_weights"]):
            for j, g in enumerate(row):
                assert cell(panel, "backward", f"dL/dW:{l},{i},{j}") == g


def test_the_tensor_view_shows_a_batch_as_the_3_by_n_form(page, api):
    panel = open_view(page, "tensors", "?preset=two-outputs")
    body = step_body(api, "two-outputs")
    n, inputs, units = len(body["x"]), body["network"]["inputs"], body["network"]["layers"][0]["units"]
    expect(panel.locator('[data-layer="1"] [data-form="notation"] [data-shapes]')).to_have_text(
        f"({units},{inputs})·({inputs},{n}) + ({units},{n}) → ({units},{n})")
    answer = api.step(body)
    for s in range(n):
        for i in range(units):
            assert cell(panel, "notation", f"z:1,{s},{i}") == answer["layers"][0]["post"][s][i]


def test_the_players_step_and_a_hovered_cell_mark_the_same_quantity(page):
    panel = open_view(page, "tensors")
    page.locator("[data-player=next]").click()  # step 2: the weighted sum of the second hidden unit
    expect(panel.locator('[data-form="notation"] td.current')).to_have_attribute("data-address", "s:1,0,1")
    expect(panel.locator('[data-form="notation"] td.in-formula[data-address="W:1,1,2"]')).to_have_count(1)
    panel.locator('[data-form="notation"] td[data-address="W:1,0,2"]').hover()
    expect(page.locator("html")).to_be_attached()
    assert page.evaluate("window.backpropLab.state.highlight") == "L1W0_2"
    expect(panel.locator('td.hl[data-address="W:1,0,2"]')).to_have_count(2)  # the column form and PyTorch's


def test_the_modules_view_chains_the_registrys_modules_with_a_shape_on_every_arrow(page, api):
    panel = open_view(page, "modules")
    expect(panel.locator("[data-module]")).to_have_text(["Linear(3→2)", "Sigmoid", "Linear(2→1)", "MSELoss"])
    expect(panel.locator("[data-tensor]")).to_have_count(6)  # x, s, z, ŷ, y, L
    shapes = panel.locator("[data-tensor]").evaluate_all("(bs) => bs.map((b) => [b.dataset.tensor, b.dataset.shape])")
    assert shapes == [["x", "(1, 3)"], ["s1", "(1, 2)"], ["z1", "(1, 2)"], ["z2", "(1, 1)"], ["y", "(1, 1)"], ["L", "()"]]
    page.locator("[data-player=next]").click()  # step 2 computes s of the second hidden unit
    expect(panel.locator("[data-tensor].current")).to_have_attribute("data-tensor", "s1")
    panel.locator('[data-tensor="z1"]').hover()
    answer = api.step(step_body(api))
    detail = panel.locator(".mod-detail td[data-address]")
    expect(detail).to_have_count(2)
    assert [float(v) for v in detail.evaluate_all("(tds) => tds.map((td) => td.dataset.value)")] == answer["layers"][0]["post"][0]


def leaves(panel):
    return panel.locator('[data-grad-fn="AccumulateGrad"]')


def test_the_graph_has_one_node_per_api_node_and_one_accumulate_grad_per_tensor_requiring_grad(page, api):
    panel = open_view(page, "graph")
    graph = api.step(step_body(api))["autograd"]
    names = sorted(n["name"] for n in graph["nodes"] if n["id"] != "loss")
    expect(panel.locator("[data-grad-fn]")).to_have_count(len(names))
    assert sorted(panel.locator("[data-grad-fn]").evaluate_all("(ns) => ns.map((n) => n.dataset.gradFn)")) == names
    expect(leaves(panel)).to_have_count(5)  # W and β of both layers, and the input x
    # Freezing W of layer 1 (requires_grad=False) removes its leaf, as the API's graph does.
    panel.locator("[data-switches] summary").click()
    panel.locator('[data-freeze="W:1"]').check()
    idle(page)
    expect(leaves(panel)).to_have_count(4)
    expect(panel.locator('[data-param="W:1"]')).to_have_count(0)
    body = step_body(api)
    body["network"]["layers"][0]["freeze_weights"] = True
    frozen = api.step(body)["autograd"]
    expect(panel.locator("[data-grad-fn]")).to_have_count(len(frozen["nodes"]) - 1)


def test_the_graph_steps_in_autograds_order_and_a_leaf_selects_its_weights_everywhere(page, api):
    panel = open_view(page, "graph")
    panel.locator("[data-graph-go=first]").click()
    expect(panel.locator(".graph-node.ran")).to_have_count(1)  # only the loss
    panel.locator("[data-graph-go=next]").click()
    expect(panel.locator('.graph-node.current[data-grad-fn="MseLossBackward0"]')).to_have_count(1)
    panel.locator("[data-graph-go=last]").click()
    leaf = panel.locator('[data-param="W:2"]')
    grad = api.step(step_body(api))["layers"][1]["grad_weights"]
    expect(leaf).to_have_attribute("data-grad", json.dumps(grad, separators=(",", ":")))
    # The player's backward step ∂L/∂w⁰ of the output layer marks the nodes that receive ∂L/∂W of layer 2.
    page.locator('[data-phase-button="backward"]').click()
    page.locator("[data-player=next]").click()
    expect(panel.locator(".graph-node.player")).to_have_count(2)
    expect(panel.locator('.graph-node.player[data-param="W:2"]')).to_have_count(1)
    expect(panel.locator('.graph-node.player[data-grad-fn="TBackward0"]')).to_have_count(1)
    leaf.focus()
    page.keyboard.press("Enter")
    expect(leaf).to_have_class(re.compile(r"\bselected\b"))
    assert page.evaluate("window.backpropLab.state.selectedParam") == "W:2"
    page.locator('[data-view-tab="diagram"]').click()
    expect(page.locator('[data-edge="L2W0_1"].hl')).to_have_count(1)
    expect(page.locator('[data-edge="L1W0_1"].hl')).to_have_count(0)


def test_collapsing_a_linear_module_draws_it_as_one_box(page):
    panel = open_view(page, "graph")
    panel.locator('[data-collapse="L1"]').click()
    expect(panel.locator('.graph-node[data-module="L1"]')).to_have_count(1)
    expect(panel.locator('[data-param="W:1"]')).to_have_count(0)
    panel.locator('[data-collapse="L1"]').click()
    expect(panel.locator('[data-param="W:1"]')).to_have_count(1)


def test_backward_again_without_zero_grad_doubles_the_shown_grad(page):
    panel = open_view(page, "graph")
    leaf = panel.locator('[data-param="W:1"]')
    once = json.loads(leaf.get_attribute("data-grad"))
    panel.locator("[data-switches] summary").click()
    panel.locator("[data-control=accumulate]").click()
    expect(panel.locator("[data-grad-passes]")).to_have_text(".grad = 2 backward passes added up")
    idle(page)
    expect(leaf).not_to_have_attribute("data-grad", json.dumps(once, separators=(",", ":")))
    twice = json.loads(leaf.get_attribute("data-grad"))
    assert twice == [[2 * g for g in row] for row in once]
    panel.locator("[data-control=zero-grad]").click()
    idle(page)
    expect(leaf).to_have_attribute("data-grad", json.dumps(once, separators=(",", ":")))


def test_an_inference_only_run_draws_no_graph(page):
    panel = open_view(page, "graph")
    panel.locator("[data-switches] summary").click()
    panel.locator("[data-control=no-grad]").check()
    idle(page)
    expect(panel.locator("[data-grad-fn]")).to_have_count(0)
    expect(panel.locator("[data-graph-detail]")).to_contain_text("torch.no_grad()")
    expect(page.locator("[data-testid=loss]")).to_contain_text("0.1276")
    panel.locator("[data-control=no-grad]").uncheck()
    expect(leaves(panel)).to_have_count(5)


def test_the_gradient_check_shows_the_servers_numbers(page, api):
    panel = open_view(page, "graph")
    panel.locator('[data-param="W:1"]').click()
    panel.locator("[data-control=gradcheck]").click()
    rows = panel.locator("[data-check]")
    expect(rows).to_have_count(6)
    addresses = [f"W:1,{i},{j}" for i in range(2) for j in range(3)]
    want = api.post("/api/gradcheck", {"request": page.evaluate("window.backpropLab.body()"), "addresses": addresses, "h": 1e-6})
    for row, check in zip(rows.all(), want["checks"]):
        assert row.get_attribute("data-check") == check["address"]
        assert float(row.locator("[data-autograd]").get_attribute("data-autograd")) == check["autograd"]
        assert float(row.locator("[data-numeric]").get_attribute("data-numeric")) == check["numeric"]
        assert float(row.locator("[data-rel-error]").get_attribute("data-rel-error")) == check["rel_error"]
        assert row.get_attribute("data-ok") == "true"


def test_the_code_view_shows_the_apis_script_and_copy_puts_it_on_the_clipboard(page, api, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    panel = open_view(page, "code")
    script = post_text(server, "/api/code", page.evaluate("window.backpropLab.body()"))
    expect(panel.locator("[data-code]")).to_have_text(script)
    panel.locator("[data-control=copy-code]").click()
    expect(panel.locator("[data-copied]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == script
    with page.expect_download() as info:
        panel.locator("[data-control=download-code]").click()
    assert info.value.suggested_filename.endswith(".py")
    assert open(info.value.path(), encoding="utf-8").read() == script
    # An edit: once it has settled, the script is the new request's.
    page.evaluate("window.backpropLab.setValue('W:1,0,0', 0.25)")
    idle(page)
    edited = post_text(server, "/api/code", page.evaluate("window.backpropLab.body()"))
    assert "0.25" in edited and edited != script
    expect(panel.locator("[data-code]")).to_have_text(edited)


def test_each_view_is_reached_by_keyboard_and_fits_1280x720_presentation(page):
    open_lecture(page, "?present")
    # In presentation the diagram has the whole height, its tabs hidden: V goes to the next view.
    expect(page.locator("[data-region=view-tabs]")).to_be_hidden()
    page.keyboard.press("v")
    expect(page.locator('[data-view-tab="tensors"]')).to_have_attribute("aria-selected", "true")
    page.locator('[data-view-tab="tensors"]').focus()
    for view in ["tensors", "modules", "graph", "code"]:
        if view != "tensors":
            page.keyboard.press("ArrowRight")
        expect(page.locator(f'[data-view-tab="{view}"]')).to_be_focused()
        panel = page.locator(f'[data-view="{view}"]')
        expect(panel).to_be_visible()
        expect(panel.locator(":scope > :not(.torch-note)").first).to_be_visible()  # the view's content (a projector drops its note)
        if view == "code":
            expect(panel.locator("[data-code] .code-line").first).to_be_visible()
        small = page.evaluate(SMALL_TEXT)
        assert small == [], f"text under 24 px in the {view} view: {small[:10]}"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 720
        # Tab from the tab list lands on the panel's first control.
        page.keyboard.press("Tab")
        assert page.evaluate(f"document.activeElement.closest('[data-view]')?.dataset.view") == view
        page.locator(f'[data-view-tab="{view}"]').focus()
    # The graph's nodes are reached with Tab too (one tab stop, the arrows between them), and Enter selects a leaf.
    page.keyboard.press("ArrowLeft")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('g.graph-node')"):
            break
    assert page.evaluate("document.activeElement.matches('g.graph-node')")
    expect(page.locator('[data-view="graph"] g.graph-node[tabindex="0"]')).to_have_count(1)
    # (Every node reached by the arrows: test_torch_linking.py.)
    page.evaluate("() => document.querySelector('[data-param=\"b:2\"]').focus()")
    page.keyboard.press("Enter")
    assert page.evaluate("window.backpropLab.state.selectedParam") == "b:2"


def test_a_relu_at_its_kink_is_reported_as_such_not_as_a_failure(page, api):
    panel = open_view(page, "graph")
    body = step_body(api)
    body["network"]["layers"][0]["activation"] = "relu"
    body["x"] = [[0.0, 0.0, 0.0]]  # s = β = 0: both hidden ReLUs sit exactly at their kink
    page.evaluate("(request) => window.backpropLab.loadRequest(request)", body)
    idle(page)
    panel.locator('[data-param="b:1"]').click()
    panel.locator("[data-control=gradcheck]").click()
    rows = panel.locator("[data-check]")
    expect(rows).to_have_count(2)
    want = api.post("/api/gradcheck", {"request": page.evaluate("window.backpropLab.body()"), "addresses": ["b:1,0", "b:1,1"], "h": 1e-6})
    for row, check in zip(rows.all(), want["checks"]):
        assert check["kink"] and not check["ok"]  # the one-sided slope differs from autograd's 0
        expect(row).to_have_attribute("data-kink", "true")
        expect(row.locator(".gc-kink")).to_have_text("at a kink: no derivative here")
        assert float(row.locator("[data-numeric]").get_attribute("data-numeric")) == check["numeric"]
    expect(panel.locator(".gc-bad")).to_have_count(0)
