"""The keyboard, as a teacher with a clicker and a student without a mouse use it: the player's
keys everywhere, the diagram as ONE tab stop with arrow keys inside, no button left focused by
a click, the clicker's keys (PageDown/PageUp, F5, Escape, "." and B for a blank screen)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .test_page import EXPLAIN, idle, open_lecture

FOCUSED_REF = "() => document.activeElement?.getAttribute('data-ref')"


def test_the_player_keys_step_jump_and_play(page):
    open_lecture(page)
    explain = page.locator(EXPLAIN)
    for key, text in [("ArrowRight", "Step 2 of 33"), ("Space", "Step 3 of 33"), ("ArrowLeft", "Step 2 of 33"),
                      ("End", "Step 33 of 33"), ("Home", "Step 1 of 33"), ("PageDown", "Step 2 of 33"),
                      ("PageUp", "Step 1 of 33"), ("2", "Step 6 of 33 · Loss"), ("3", "Step 7 of 33 · Backward")]:
        page.keyboard.press(key)
        expect(explain).to_contain_text(text)
    page.keyboard.press("Home")
    page.keyboard.press("p")  # plays on by itself
    expect(explain).to_contain_text("Step 2 of 33")
    page.keyboard.press("p")  # and pauses
    expect(page.locator("[data-player=play]")).to_have_attribute("aria-pressed", "false")


def test_a_clicked_button_keeps_no_focus_so_space_steps_instead_of_pressing_it_again(page):
    open_lecture(page)
    explain = page.locator(EXPLAIN)
    page.locator("[data-player=next]").click()
    expect(explain).to_contain_text("Step 2 of 33")
    page.locator('[data-phase-button="backward"]').click()
    expect(explain).to_contain_text("Step 7 of 33")
    assert page.evaluate("document.activeElement.tagName") != "BUTTON"
    page.keyboard.press("Space")  # steps on; it does not jump to the backward phase again
    expect(explain).to_contain_text("Step 8 of 33")
    page.keyboard.press("Space")
    expect(explain).to_contain_text("Step 9 of 33")


def test_the_diagram_is_one_tab_stop_with_arrow_keys_inside(page):
    page.goto(page.base_url + "/?preset=mini-mlp")
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    in_diagram = page.locator("[data-diagram] [tabindex='0']")
    expect(in_diagram).to_have_count(1)  # one tab stop for ~190 elements
    assert page.locator("[data-diagram] [tabindex]").count() > 150
    # Tabbing through the whole page visits the diagram once.
    visits = 0
    page.locator("[data-control=present]").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("Boolean(document.activeElement.closest('[data-diagram]'))"):
            visits += 1
    assert visits == 1, f"the diagram took {visits} tab stops"

    open_lecture(page)
    page.locator('[data-node="L0N0"]').focus()
    explain = page.locator(EXPLAIN)
    page.keyboard.press("ArrowDown")  # down the input column: x₁
    assert page.evaluate(FOCUSED_REF) == "L0N1"
    page.keyboard.press("ArrowRight")  # into the weights of layer 1, the one nearest in height
    assert page.evaluate(FOCUSED_REF).startswith("L1W")
    page.keyboard.press("ArrowRight")  # the hidden neurons and their biases
    assert re.match(r"L1[NB]", page.evaluate(FOCUSED_REF))
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(FOCUSED_REF).startswith("L0N")
    expect(explain).to_contain_text("Step 1 of 33")  # arrows inside the diagram don't step the player
    # The focused element is the diagram's tab stop now: Tab away and Shift+Tab come back to it.
    focused = page.evaluate(FOCUSED_REF)
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED_REF) == focused


def test_plus_and_minus_nudge_the_focused_value_and_enter_or_space_edit_it(page):
    open_lecture(page)
    edge = page.locator('[data-edge="L1W0_0"]')
    edge.focus()
    page.keyboard.press("+")
    expect(edge).to_have_attribute("data-weight", "0.2")
    idle(page)
    expect(page.locator("[data-testid=loss]")).not_to_contain_text("0.1276")
    page.keyboard.press("-")
    page.keyboard.press("-")
    expect(edge).to_have_attribute("data-weight", "0")
    page.keyboard.press("Enter")
    expect(page.locator('[data-editor="L1W0_0"]')).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("[data-editor]")).to_have_count(0)
    expect(edge).to_be_focused()
    page.keyboard.press("Space")  # role="button": Space as well as Enter
    expect(page.locator('[data-editor="L1W0_0"]')).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(EXPLAIN)).to_contain_text("Step 1 of 33")


def test_clicker_keys_present_blank_the_screen_and_come_back(page):
    open_lecture(page)
    html = page.locator("html")
    page.keyboard.press("F5")  # a clicker's "start the show": presentation, not a reload
    expect(html).to_have_attribute("data-presenting", "")
    assert page.evaluate("document.fullscreenElement === document.documentElement"), "presentation goes fullscreen"
    page.keyboard.press("PageDown")
    expect(page.locator(EXPLAIN)).to_contain_text("Step 2 of 33")
    page.keyboard.press(".")
    expect(page.locator("[data-blank]")).to_be_visible()
    page.keyboard.press("PageDown")  # any key brings the page back, and does only that
    expect(page.locator("[data-blank]")).to_be_hidden()
    expect(page.locator(EXPLAIN)).to_contain_text("Step 2 of 33")
    page.keyboard.press("b")  # B blanks while presenting …
    expect(page.locator("[data-blank]")).to_be_visible()
    page.keyboard.press("b")
    expect(page.locator("[data-blank]")).to_be_hidden()
    page.evaluate("document.exitFullscreen()")  # leaving fullscreen (the browser's Escape) leaves presentation
    expect(html).not_to_have_attribute("data-presenting", "")
    page.keyboard.press("b")  # … and opens the build panel otherwise
    expect(page.locator("[data-control=panel]")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-blank]")).to_be_hidden()
