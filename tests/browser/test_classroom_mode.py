"""Classroom mode: controls the teacher hides stay hidden after a reload and in a link;
predict then reveal hides the value the player is about to show until the class has guessed."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .statehelp import EXPLAIN, idle, menu, open_page


def open_classroom(page):
    menu(page).locator("[data-action=classroom]").click()
    dialog = page.locator("[data-classroom-dialog]")
    expect(dialog).to_be_visible()
    return dialog


def test_hidden_controls_stay_hidden_after_a_reload_and_in_a_link(page, browser, server):
    open_page(page)
    dialog = open_classroom(page)
    for control in ["theme", "apply", "phases"]:
        dialog.locator(f"[data-hide-control={control}]").check()
    dialog.locator("[data-classroom-close]").click()
    expect(dialog).to_be_hidden()
    hidden = [page.locator("[data-control=theme]"), page.locator("[data-apply]"), page.locator("[data-phase-button=forward]")]
    for el in hidden:
        expect(el).to_be_hidden()
    expect(page.locator("[data-control=preset]")).to_be_visible()
    expect(page.locator("[data-player=next]")).to_be_visible()
    idle(page)
    page.reload()
    idle(page)
    for el in hidden:
        expect(el).to_be_hidden()
    expect(page.locator("[data-control=view]")).to_be_visible()
    link = page.url
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        other = context.new_page()
        other.goto(link)
        expect(other.locator("[data-testid=loss]")).to_contain_text("0.1276")
        expect(other.locator("[data-apply]")).to_be_hidden()
        expect(other.locator("[data-control=theme]")).to_be_hidden()
        # Unticking brings a control back.
        dialog = open_classroom(other)
        expect(dialog.locator("[data-hide-control=apply]")).to_be_checked()
        dialog.locator("[data-hide-control=apply]").uncheck()
        expect(other.locator("[data-apply]")).to_be_visible()
    finally:
        context.close()


def test_predict_then_reveal_hides_the_next_value_then_shows_it_beside_the_guesses(page, api):
    open_page(page)
    dialog = open_classroom(page)
    dialog.locator("[data-predict-toggle]").check()
    dialog.locator("[data-classroom-close]").click()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.locator(EXPLAIN)).to_contain_text("Step 5 of 33")
    yhat = api.step(api.get("/api/presets/lecture"))["output"][0][0]
    shown_value = f"{yhat:.4f}"
    value_line = page.locator(f"{EXPLAIN} [data-line=value]")
    node_value = page.locator('[data-node="L2N0"] .value')
    # Hidden: the explanation's value and the neuron's number; the substituted numbers stay.
    expect(value_line).to_be_hidden()
    expect(node_value).to_be_hidden()
    expect(page.locator(f"{EXPLAIN} [data-line=numbers]")).to_be_visible()
    expect(page.locator("[data-testid=loss]")).to_be_hidden()  # the loss step is still to come
    panel = page.locator("[data-predict-panel]")
    expect(panel).to_contain_text("What is ŷ? Guesses:")
    guess = panel.locator("[data-guess-input]")
    for text in ["0.5", "0,7", "abc"]:
        guess.fill(text)
        guess.press("Enter")
    expect(panel.locator("[data-guess-problem]")).to_contain_text("“abc” is not a number")
    expect(panel.locator("[data-guess]")).to_have_count(2)
    expect(panel.locator("[data-revealed-value]")).to_be_hidden()
    panel.locator("[data-reveal]").click()
    answer = panel.locator("[data-revealed-value]")
    expect(answer).to_be_visible()
    expect(answer).to_have_attribute("data-value", repr(yhat))
    expect(answer).to_contain_text(f"ŷ = {shown_value}")
    expect(panel.locator('[data-guess="0.5"]')).to_contain_text(f"off by {abs(0.5 - yhat):.4f}".rstrip("0"))
    expect(value_line).to_be_visible()
    expect(value_line).to_contain_text(shown_value)
    expect(node_value).to_be_visible()
    # The next step hides its own value again; the loss step hides the header's loss too.
    page.keyboard.press("ArrowRight")
    expect(page.locator(EXPLAIN)).to_contain_text("Step 6 of 33")
    expect(value_line).to_be_hidden()
    expect(page.locator("[data-testid=loss]")).to_be_hidden()
    expect(panel.locator("[data-guess]")).to_have_count(0)
    panel.locator("[data-reveal]").click()
    expect(page.locator("[data-testid=loss]")).to_be_visible()
    # Going back shows the revealed step with its guesses.
    page.keyboard.press("ArrowLeft")
    expect(panel.locator("[data-guess]")).to_have_count(2)
    expect(value_line).to_be_visible()
    # Off again: nothing is hidden.
    dialog = open_classroom(page)
    dialog.locator("[data-predict-toggle]").uncheck()
    dialog.locator("[data-classroom-close]").click()
    expect(panel).to_be_hidden()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(value_line).to_be_visible()
    expect(value_line).to_have_text(re.compile(r"\d"))


def test_escape_closes_the_classroom_dialog_and_keeps_presentation_mode(page):
    open_page(page, "?present")
    dialog = open_classroom(page)
    dialog.locator("[data-hide-control=apply]").focus()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("html[data-presenting]")).to_have_count(1)
    # Space on the File menu's summary opens the menu (it does not step the player).
    summary = page.locator("[data-control=file] summary")
    if page.locator("[data-control=file][open]").count():
        summary.click()  # the menu the dialog was opened from: closed first
    expect(page.locator("[data-control=file][open]")).to_have_count(0)
    summary.focus()
    page.keyboard.press(" ")
    expect(page.locator("[data-control=file][open]")).to_have_count(1)
    expect(page.locator("[data-step-counter]")).to_have_text("1 / 33")
