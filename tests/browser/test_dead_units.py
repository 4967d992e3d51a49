"""Dead ReLUs marked in the network diagram (ring, word, accessible name, export), over the batch or,
for a training snapshot opened in the player, over the run's training set; and the one-click
vanishing-gradient example in the Train tab."""

from __future__ import annotations

import json
import urllib.request
import xml.etree.ElementTree as ET

from playwright.sync_api import expect

from .statehelp import edit, idle, menu, open_page
from .test_train_page import STATUS, open_train, run_state, settings

MARK = "[data-diagram] .dead-mark"
SVG = "{http://www.w3.org/2000/svg}"


def dead_by_the_server(server, request) -> list[list[bool]]:
    """The training code's own verdict (torch) on the same network and rows: the first snapshot's "dead"."""
    body = {"network": request["network"], "data": {"x": request["x"], "y": request["y"]}, "test_fraction": 0,
            "optimizer": request["optimizer"], "steps": 1, "batch_size": None, "seed": 0}
    req = urllib.request.Request(server.url + "/api/train", data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        lines = [json.loads(line) for line in r]
    return lines[0]["snapshot"]["dead"]


def test_a_relu_with_bias_minus_10_is_marked_dead_and_a_live_one_is_not(page, server, api):
    open_page(page, "?preset=dead-relu", loss="0.7524")
    mark = page.locator(MARK)
    expect(mark).to_have_count(1)
    expect(mark).to_have_attribute("aria-label", "z¹ dead: s ≤ 0 for all 4 samples")
    expect(mark).to_have_attribute("data-samples", "4")
    expect(mark.locator(".dead-word")).to_have_text("dead")
    assert "of this batch" in mark.locator("title").text_content()
    neuron = page.locator("[data-diagram] [data-node][data-dead]")
    expect(neuron).to_have_attribute("data-address", "z:1,0,1")  # hidden unit 1, the one with β = −10
    expect(neuron).to_have_attribute("aria-describedby", mark.get_attribute("id"))
    expect(page.locator("[data-diagram] .dead-legend text")).to_have_text("dead: s ≤ 0 for all 4 samples")
    # The page and the training code agree on which units are dead.
    assert dead_by_the_server(server, api.get("/api/presets/dead-relu")) == [[False, True, False]]

    bias = page.locator('[data-diagram] [data-bias][data-address="b:1,1"]').get_attribute("data-editable")
    edit(page, bias, "0")  # s = 0.4·x₀ + 0.7·x₁ > 0 for three of the four samples: alive
    expect(mark).to_have_count(0)
    expect(page.locator("[data-diagram] [data-node][data-dead]")).to_have_count(0)
    expect(page.locator("[data-diagram] .dead-legend")).to_have_count(0)


def test_a_leaky_relu_there_is_nearly_dead(page):
    open_page(page, "?preset=dead-relu", loss="0.7524")
    page.evaluate("window.backpropLab.setActivation(1, 'leaky_relu')")
    idle(page)
    mark = page.locator(MARK)
    expect(mark).to_have_attribute("aria-label", "z¹ nearly dead: s ≤ 0 for all 4 samples")
    expect(mark.locator(".dead-word")).to_have_text("nearly dead")
    assert "α times" in mark.locator("title").text_content()


def test_one_sample_marks_no_relu_dead(page):
    # MyMiniMLP: one sample, eight of its sixteen ReLUs have s < 0 — a ReLU at work, not dead.
    open_page(page, "?preset=mini-mlp", loss=None)
    expect(page.locator("[data-diagram] [data-node]").first).to_be_visible()
    assert page.evaluate("window.backpropLab.state.response.layers[0].pre[0].filter((s) => s <= 0).length") == 8
    expect(page.locator(MARK)).to_have_count(0)


def test_the_dead_mark_is_in_the_svg_export(page, tmp_path):
    open_page(page, "?preset=dead-relu", loss="0.7524")
    expect(page.locator(MARK)).to_have_count(1)
    with page.expect_download() as info:
        menu(page).locator("[data-export=svg]").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    root = ET.parse(path).getroot()
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "dead" in texts and "dead: s ≤ 0 for all 4 samples" in texts
    rings = [p for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray") not in (None, "none")]
    assert rings, "the dashed ring is drawn in the file, its dashes inlined"


def test_a_snapshot_opened_in_the_player_marks_units_dead_over_the_training_set(page):
    open_train(page, "?preset=dead-relu&panel")
    settings(page, optimizer="sgd", lr="0.5", steps="20")
    page.select_option("[data-train-control=batch]", "16")
    page.click("[data-train-control=play]")
    expect(page.locator(STATUS)).to_contain_text("Finished 20 steps")
    train_rows = run_state(page, "run.state.dataset.train.length")
    assert run_state(page, "run.state.history.snapshots.at(-1).dead") == [[False, True, False]]
    page.locator("[data-train-scrub]").fill("11")
    page.click("[data-train-control=open-step]")
    expect(page.locator("[data-view-tab=diagram]")).to_have_attribute("aria-selected", "true")
    mark = page.locator(MARK)
    expect(mark).to_have_attribute("data-over", "training")
    expect(mark).to_have_attribute("data-samples", str(train_rows))
    expect(mark).to_have_attribute("aria-label", f"z¹ dead: s ≤ 0 for all {train_rows} training samples")
    assert page.evaluate("window.backpropLab.state.request.x.length") == 16  # the batch is not what is counted
    assert "training set" in mark.locator("title").text_content()


def test_the_vanishing_gradient_example_trains_a_deep_sigmoid_stack_in_one_click(page):
    open_train(page)
    page.click("[data-chart-tab=grads]")
    page.click("[data-train-control=vanishing]")
    expect(page.locator(STATUS)).to_contain_text("Finished 300 steps", timeout=90_000)
    assert page.evaluate("window.backpropLab.state.presetId") == "deep-sigmoid"
    chart = page.locator("[data-chart=grads]")
    for layer in range(1, 7):
        expect(chart.locator(f"[data-series=layer-{layer}]")).to_have_count(1)
    first = run_state(page, "run.state.history.steps[0].grad_norms")
    assert first[0] < first[-1] / 1000, first  # the first layer's gradient has all but vanished
