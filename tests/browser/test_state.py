"""State that is kept: the link reproduces the page, a reload keeps edits, undo/redo, Reset,
save and load a file (bad files refused with a clear message), named snapshots."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from .statehelp import EXPLAIN, edit, idle, menu, open_page, shown

REFUSED = [r"status of 422 \(Unprocessable Entity\)"]
BIG = 90_000  # ms: answers for the largest network on a loaded machine


def new_page(browser, server, allowed=()):
    """A page in a fresh context (its own localStorage), failing on console errors like `page`."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.base_url = server.url
    return context, pg, errors


def test_a_link_reproduces_edits_an_applied_update_the_step_and_the_theme(page, browser, server, api):
    open_page(page)
    edit(page, "L1W0_0", "0.25")
    page.locator("[data-apply]").click()
    idle(page)
    edit(page, "L2W0_1", "-0.4")
    for _ in range(4):
        page.keyboard.press("PageDown")  # the diagram has the focus after an edit: its arrows move inside it
    page.locator("[data-control=theme]").select_option("dark")
    page.keyboard.press("f")
    idle(page)
    before = shown(page)
    assert before["step"] == "5 / 33" and before["theme"] == "dark" and before["presenting"]
    link = page.url
    assert re.search(r"#v1\.[A-Za-z0-9_-]+$", link)
    # The page's numbers are the API's: one SGD step from the edited lecture, then the second edit.
    body = api.get("/api/presets/lecture")
    body["network"]["layers"][0]["weights"][0][0] = 0.25
    after = api.step(body)
    body["network"] = after["network_after"]
    body["optimizer_state"] = after["optimizer_state"]
    body["network"]["layers"][1]["weights"][0][1] = -0.4
    assert before["loss"] == repr(api.step(body)["loss"])

    context, other, errors = new_page(browser, server)
    try:
        other.goto(link)
        expect(other.locator("[data-testid=loss]")).to_have_attribute("data-value", before["loss"])
        idle(other)
        assert shown(other) == before
        expect(other.locator(EXPLAIN)).to_contain_text("Step 5 of 33")
        assert not errors, errors
    finally:
        context.close()


def test_a_reload_keeps_an_edit_made_through_the_page(page):
    open_page(page)
    edit(page, "L0N0", "0.7")
    page.keyboard.press("PageDown")  # the diagram has the focus after an edit: its arrows move inside it
    idle(page)
    before = shown(page)
    page.reload()
    expect(page.locator("[data-testid=loss]")).to_have_attribute("data-value", before["loss"])
    idle(page)
    assert shown(page) == before
    assert dict(before["nodes"])["L0N0"] == "0.7"


def test_undo_and_redo_walk_through_the_edits_by_key_and_by_button(page):
    open_page(page)
    original = shown(page)
    edit(page, "L2W0_0", "0.5")
    first = shown(page)
    edit(page, "L2W0_1", "0.1")
    second = shown(page)
    assert first["loss"] != original["loss"] != second["loss"]
    page.locator("body").press("Control+z")
    expect(page.locator('[data-edge="L2W0_1"]')).to_have_attribute("data-weight", "0.7")
    idle(page)
    assert shown(page) == first
    page.keyboard.press("Control+z")
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.6")
    idle(page)
    assert shown(page) == original
    page.keyboard.press("Control+Shift+z")
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.5")
    page.keyboard.press("Control+y")
    expect(page.locator('[data-edge="L2W0_1"]')).to_have_attribute("data-weight", "0.1")
    idle(page)
    assert shown(page) == second
    panel = menu(page)
    expect(panel.locator("[data-action=redo]")).to_be_disabled()
    panel.locator("[data-action=undo]").click()
    expect(page.locator('[data-edge="L2W0_1"]')).to_have_attribute("data-weight", "0.7")
    idle(page)
    panel.locator("[data-action=redo]").click()
    expect(page.locator('[data-edge="L2W0_1"]')).to_have_attribute("data-weight", "0.1")


def test_reset_returns_to_the_preset_and_undo_brings_the_edits_back(page):
    open_page(page, "?preset=xor", loss=None)
    preset = shown(page)
    edit(page, "L1B0", "3")
    edited = shown(page)
    assert edited["loss"] != preset["loss"]
    bias = page.locator('[data-bias="L1B0"]')
    menu(page).locator("[data-action=reset]").click()
    expect(bias).to_have_attribute("data-value", dict(preset["biases"])["L1B0"])
    idle(page)
    assert shown(page) == preset
    expect(page.locator("[data-control=preset]")).to_have_value("xor")
    page.keyboard.press("Control+z")
    expect(bias).to_have_attribute("data-value", "3")


def test_a_saved_file_loads_back_with_identical_values(page, tmp_path):
    open_page(page)
    edit(page, "L1B1", "0.3")
    page.locator("[data-apply]").click()
    idle(page)
    page.keyboard.press("PageDown")  # the diagram has the focus after an edit: its arrows move inside it
    idle(page)
    saved_view = shown(page)
    with page.expect_download() as info:
        menu(page).locator("[data-action=save-file]").click()
    path = tmp_path / "state.json"
    info.value.save_as(path)
    data = json.loads(path.read_text())
    assert data["version"] == 1 and set(data) == {"version", "request", "view"}
    assert {"network", "x", "y", "optimizer"} <= set(data["request"])
    assert data["request"]["network"]["layers"][0]["biases"][1] != 0.3  # the update was applied
    assert data["view"]["step"] == 1
    edit(page, "L2W0_0", "2")
    assert shown(page)["loss"] != saved_view["loss"]
    page.locator("[data-file-input]").set_input_files(str(path))
    expect(page.locator("[data-testid=loss]")).to_have_attribute("data-value", saved_view["loss"])
    idle(page)
    assert shown(page) == saved_view
    expect(page.locator("[data-notice]")).to_contain_text("Loaded")


def test_bad_files_are_refused_with_a_clear_message_and_the_state_is_kept(page, tmp_path):
    page.allowed_console = REFUSED
    open_page(page)
    edit(page, "L2W0_0", "0.9")
    before = shown(page)
    good = {"version": 1, "request": {"network": {"inputs": 3, "layers": [{"units": 1, "activation": "relu"}], "loss": "mse"},
                                      "x": [[1, 2, 3]], "y": [[1]], "optimizer": {"name": "sgd", "lr": 0.1}}, "view": {}}
    wrong_units = json.loads(json.dumps(good))
    wrong_units["request"]["network"]["layers"][0]["units"] = 0
    cases = [
        ("notes.json", "this is not json", "not JSON"),
        ("old.json", json.dumps({**good, "version": 7}), "version 7; this page reads version 1"),
        ("empty.json", json.dumps({"version": 1}), "no “request”"),
        ("zero.json", json.dumps(wrong_units), "network.layers.0.units"),
    ]
    notice = page.locator("[data-notice]")
    for name, text, message in cases:
        path = tmp_path / name
        path.write_text(text)
        page.locator("[data-file-input]").set_input_files(str(path))
        expect(notice).to_contain_text(f"Could not load “{name}”")
        expect(notice).to_contain_text(message)
        expect(notice).to_have_attribute("data-kind", "error")
        idle(page)
        assert shown(page) == before
    # The last refusal is the server's 422: it names the limit as well as the field.
    expect(notice).to_contain_text(re.compile(r"greater than or equal to 1|at least 1"))


def test_named_snapshots_are_saved_listed_opened_and_deleted(page):
    open_page(page)
    edit(page, "L2W0_0", "0.2")
    snap = shown(page)
    panel = menu(page)
    panel.locator("[data-snapshot-name]").fill("small output weight")
    panel.locator("[data-action=save-snapshot]").click()
    expect(panel.locator('[data-snapshot="small output weight"]')).to_be_visible()
    edit(page, "L2W0_0", "1.5")
    assert shown(page)["loss"] != snap["loss"]
    panel = menu(page)
    panel.locator('[data-snapshot-open="small output weight"]').click()
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.2")
    idle(page)
    assert shown(page) == snap
    panel = menu(page)
    panel.locator('[data-snapshot-delete="small output weight"]').click()
    expect(panel.locator("[data-snapshot]")).to_have_count(0)
    page.reload()
    idle(page)
    expect(menu(page).locator("[data-snapshot]")).to_have_count(0)


def test_a_damaged_link_says_so_and_shows_the_preset(page):
    page.goto(page.base_url + "/#v1.AAAA-damaged")
    expect(page.locator("[data-notice]")).to_contain_text("could not be read")
    expect(page.locator("[data-testid=loss]")).to_contain_text("0.1276")


def test_an_optimizer_state_too_big_for_the_link_is_kept_in_local_storage(page, browser, server, tmp_path):
    """8 → 64 → 32 → 16 → 1 with Adam: after Apply, the moments go to localStorage under a key the link names.

    The largest network the default limits allow: its explanation takes seconds on a loaded machine."""
    layers = [{"units": u, "activation": "relu"} for u in (64, 32, 16)] + [{"units": 1, "activation": "identity"}]
    request = {"network": {"inputs": 8, "layers": layers, "loss": "mse", "seed": 3},
               "x": [[0.1 * k for k in range(8)]], "y": [[1.0]], "optimizer": {"name": "adam", "lr": 0.01}}
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"version": 1, "request": request, "view": {}}))
    open_page(page)
    page.locator("[data-file-input]").set_input_files(str(path))
    expect(page.locator("[data-notice]")).to_contain_text("Loaded", timeout=BIG)
    idle(page, BIG)
    page.locator("[data-apply]").click()
    idle(page, BIG)
    after_apply = shown(page)
    keys = page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('backprop-lab-optimizer:'))")
    assert len(keys) == 1
    link = page.url
    # Another tab of the same browser has the moments: the same numbers, and Apply gives the same next step.
    other = page.context.new_page()
    other.goto(link)
    expect(other.locator("[data-testid=loss]")).to_have_attribute("data-value", after_apply["loss"], timeout=BIG)
    idle(other, BIG)
    assert shown(other) == after_apply
    page.locator("[data-apply]").click()
    other.locator("[data-apply]").click()
    idle(page, BIG)
    idle(other, BIG)
    assert shown(other) == shown(page)
    other.close()
    # Another computer does not: the page says the optimizer starts afresh.
    context, elsewhere, errors = new_page(browser, server)
    try:
        elsewhere.goto(link)
        expect(elsewhere.locator("[data-notice]")).to_contain_text("optimizer starts afresh", timeout=BIG)
        expect(elsewhere.locator("[data-testid=loss]")).to_have_attribute("data-value", after_apply["loss"], timeout=BIG)
        assert not errors, errors
    finally:
        context.close()
