"""The Train panel in a real Chromium against the real server: XOR trained to 100 % with its
boundary drawn, pause and resume on the same curve, the scrubber, a step opened in the player
exactly as /api/step computes it, the optimizers compared, a bad table named by row and column."""

from __future__ import annotations

import json
import re
import urllib.request

from playwright.sync_api import expect

STATUS = "[data-train-status]"


def open_train(page, query="?preset=xor&panel"):
    page.goto(page.base_url + "/" + query + "&view=train")
    expect(page.locator(STATUS)).to_contain_text("Ready")


def widen_xor(page):
    """The XOR preset with four hidden units (two rarely separate XOR): the Build panel's + button."""
    for units in ("3", "4"):
        page.get_by_role("button", name="Add a unit to Hidden 1").click()
        expect(page.locator('[data-layer-row="1"] .units')).to_have_text(units)
    expect(page.locator(STATUS)).to_contain_text("Ready")


def settings(page, optimizer="adam", lr="0.1", steps="200"):
    page.select_option("[data-train-control=optimizer]", optimizer)
    page.fill("[data-train-control=lr]", lr)
    page.locator("[data-train-control=lr]").press("Enter")
    page.fill("[data-train-control=steps]", steps)
    page.locator("[data-train-control=steps]").press("Enter")


def run_state(page, expr):
    return page.evaluate(f"(() => {{ const run = window.backpropLab.trainRun; return {expr}; }})()")


def train_stream(server, body):
    req = urllib.request.Request(server.url + "/api/train", data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return [json.loads(line) for line in r]


def test_noise_free_xor_trains_to_full_accuracy_and_the_boundary_is_drawn(page):
    open_train(page)
    widen_xor(page)
    expect(page.locator("[data-train-changes]")).to_have_count(1)
    settings(page)
    page.click("[data-train-control=play]")
    expect(page.locator(STATUS)).to_contain_text("Finished 200 steps")
    expect(page.locator(STATUS)).to_contain_text(re.compile(r"accuracy 100\s%"))
    boundary = page.locator("[data-train-map] image[data-boundary]")
    expect(boundary).to_have_attribute("data-boundary", "200")
    assert boundary.get_attribute("href").startswith("data:image/png")
    expect(page.locator("[data-neuron-maps] [data-neuron] img")).to_have_count(4)
    expect(page.locator("[data-train-map] [data-point]")).to_have_count(200)
    expect(page.locator("[data-train-progress]")).to_have_attribute("value", "200")
    # The loss curve has a point per step, and the accuracy chart is drawn.
    expect(page.locator('[data-chart=loss] [data-series=loss]')).to_have_attribute("data-points", "200")
    expect(page.locator('[data-chart=accuracy] [data-series=accuracy]')).to_have_count(1)


def test_pause_ends_the_stream_and_play_continues_the_same_curve(page, server):
    open_train(page)
    widen_xor(page)
    settings(page, steps="5000")  # long enough to be paused on a fast machine
    page.click("[data-train-control=play]")
    expect(page.locator(STATUS)).to_contain_text(re.compile(r"Training… step [1-9]\d+ of 5000"))
    page.click("[data-train-control=pause]")
    expect(page.locator(STATUS)).to_contain_text("Paused at step")
    paused_at = run_state(page, "run.state.history.steps.length")
    assert 0 < paused_at < 5000
    page.click("[data-train-control=play]")
    expect(page.locator(STATUS)).to_contain_text("Finished 5000 steps")
    losses = run_state(page, "run.state.history.steps.map((l) => l.loss)")
    body = run_state(page, "run._body(run.state.history.snapshots[0], 5000, {grid: 0, watch: [], snapshot_every: 5000})")
    whole = [line["loss"] for line in train_stream(server, body) if "loss" in line]
    assert losses == whole, "the paused and resumed run is the uninterrupted run, bit for bit"


def test_the_scrubber_rewinds_the_boundary_and_marks_the_curve(page):
    open_train(page)
    settings(page, optimizer="sgd", lr="0.5", steps="100")
    page.click("[data-train-control=play]")
    expect(page.locator(STATUS)).to_contain_text("Finished 100 steps")
    expect(page.locator("[data-boundary]")).to_have_attribute("data-boundary", "100")
    page.locator("[data-train-scrub]").fill("41")
    expect(page.locator("[data-scrub-text]")).to_have_attribute("data-step", "41")
    expect(page.locator("[data-boundary]")).to_have_attribute("data-boundary", "40")  # snapshots every 2 steps
    expect(page.locator("[data-chart=loss] [data-marker]")).to_have_attribute("data-marker", "41")
    expect(page.locator("[data-train-control=open-step]")).to_have_text("Open step 41 in the player")


def test_open_step_k_shows_in_the_player_exactly_what_api_step_computes(page, server, api):
    open_train(page)
    settings(page, optimizer="momentum", lr="0.3", steps="100")
    page.select_option("[data-train-control=batch]", "16")
    page.click("[data-train-control=play]")
    expect(page.locator(STATUS)).to_contain_text("Finished 100 steps")
    # Step 43: no snapshot at 42 (every 2nd step… 42 is one; 43's state comes from 42), step 44 needs a gap.
    for k in (43, 44):
        page.locator("[data-view-tab=train]").click()
        page.locator("[data-train-scrub]").fill(str(k))
        page.click("[data-train-control=open-step]")
        expect(page.locator("[data-view-tab=diagram]")).to_have_attribute("aria-selected", "true")
        expect(page.locator("[data-region=status][data-pending]")).to_have_count(0)
        # The oracle: an uninterrupted run with a snapshot at k − 1, then /api/step on its network and batch.
        body = run_state(page, f"run._body(run.state.history.snapshots[0], {k - 1}, {{grid: 0, watch: [], snapshot_every: 1}})")
        lines = train_stream(server, body)
        snap = [line["snapshot"] for line in lines if "snapshot" in line and line["snapshot"]["step"] == k - 1][0]
        data = api.post("/api/data", {**body["data"], "test_fraction": body["test_fraction"]})
        request = {"network": snap["network"], "x": [data["x"][i] for i in snap["next_batch"]],
                   "y": [data["y"][i] for i in snap["next_batch"]], "optimizer": body["optimizer"],
                   "optimizer_state": snap["optimizer_state"]}
        answer = api.step(request)
        shown = page.locator("[data-testid=loss]")
        expect(shown).to_have_attribute("data-value", repr(answer["loss"]) if isinstance(answer["loss"], float) else str(answer["loss"]))
        step_line = run_state(page, f"run.state.history.steps[{k - 1}].loss")
        assert step_line == answer["loss"], "the player's step k is the run's step k"
        assert page.evaluate("window.backpropLab.state.request.x.length") == 16


def test_sgd_momentum_and_adam_are_compared_from_the_same_initial_weights(page):
    open_train(page)
    settings(page, steps="40")
    page.click("[data-chart-tab=optimizer]")
    page.click("[data-train-control=compare]")
    chart = page.locator("[data-chart=compare]")
    for kind in ("sgd", "momentum", "adam"):
        expect(chart.locator(f"[data-series={kind}]")).to_have_attribute("data-points", "41")
    starts = run_state(page, "run.state.compare.runs.map((r) => r.history.steps[0].watch[run.state.compare.address].value)")
    assert len(set(starts)) == 1, "the three runs start from the same weight"


def test_a_bad_table_is_named_by_row_and_column_and_a_good_one_is_used(page):
    open_train(page)
    page.select_option("[data-train-control=dataset]", "table")
    table = page.locator("[data-train-control=table]")
    table.fill("x0,x1,y\n0,0,0\n0,abc,1\n1,0")
    page.click("[data-train-control=use-table]")
    errors = page.locator("[data-table-error]")
    expect(errors.first).to_have_text("row 3, column 2: “abc” is not a number")
    expect(errors.nth(1)).to_have_text(re.compile(r"^row 4: has 2 values, expected 3"))
    table.fill("x0,x1,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0")
    page.click("[data-train-control=use-table]")
    expect(errors).to_have_count(0)
    expect(page.locator(STATUS)).to_contain_text("Ready")
    expect(page.locator("[data-train-map] [data-point]")).to_have_count(4)


def test_a_diverging_run_is_shown_as_a_result(page):
    open_train(page, "?preset=lecture")
    page.select_option("[data-train-control=dataset]", "line")
    expect(page.locator(STATUS)).to_contain_text("Ready")
    expect(page.locator("[data-train-changes]")).to_contain_text("inputs set to 1 for Line")
    settings(page, optimizer="sgd", lr="1e6", steps="50")
    page.click("[data-train-control=play]")
    expect(page.locator(STATUS)).to_contain_text(re.compile(r"Diverged at step \d+"))


def test_the_weights_shown_rewind_with_the_scrubber(page):
    open_train(page)
    settings(page, optimizer="sgd", lr="0.5", steps="20")
    page.click("[data-train-control=play]")
    expect(page.locator(STATUS)).to_contain_text("Finished 20 steps")
    weights = page.locator("[data-snapshot-weights]")
    expect(weights).to_have_attribute("data-step", "20")
    page.locator("[data-train-scrub]").fill("0")
    expect(weights).to_have_attribute("data-step", "0")
    initial = run_state(page, "run.state.history.snapshots[0].network.layers[0].weights[0][0]")
    cell = weights.locator('[data-weight="W:1,0,0"]')
    expect(cell).to_have_text(re.compile(re.escape(f"{initial:.2f}".rstrip("0").rstrip(".").replace("-", "\u2212"))))
