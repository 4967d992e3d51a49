"""What the header and the messages say while the network is walked through and reshaped:
the loss L is not given away before the loss step (a pending "L = ?" holds its place), and a
structural edit never replaces weights silently: coming back to a shape seen before brings
its weights back, new weights are announced with the layers named and Ctrl+Z undoes them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .statehelp import idle, open_page, shown

LOSS = "[data-testid=loss]"


@pytest.mark.parametrize("query", ["?preset=lecture", "?preset=lecture&present", "?preset=xor"])
def test_the_header_shows_L_only_from_the_loss_step_on_and_nothing_moves(page, query):
    open_page(page, query, loss=None)
    readout = page.locator(LOSS)
    # The player's loss step, from the explanation the page shows.
    loss_step = page.evaluate("() => window.backpropLab.steps.findIndex((s) => s.target === 'L')")
    assert loss_step > 0
    box = readout.bounding_box()
    for k in range(loss_step):
        assert readout.evaluate("e => e.innerText") == "L = ?", f"step {k + 1}: L shown before the loss step"
        expect(page.locator("[data-loss-later]")).to_be_visible()
        expect(page.locator("[data-loss-known]")).to_be_hidden()
        page.keyboard.press("ArrowRight")
    expect(readout).to_have_attribute("data-computed", "")
    value = float(readout.get_attribute("data-value"))
    expect(page.locator("[data-loss-known]")).to_be_visible()
    assert readout.evaluate("e => e.innerText").startswith(f"L = {value:.4f}"[:9])
    assert readout.bounding_box() == box, "showing L moved or resized the readout"
    page.keyboard.press("ArrowLeft")  # back in the forward pass: not computed yet again
    expect(page.locator("[data-loss-later]")).to_be_visible()
    page.keyboard.press("End")
    expect(page.locator("[data-loss-known]")).to_be_visible()


def test_removing_and_re_adding_the_hidden_layer_brings_the_lectures_weights_back(page):
    open_page(page, "?preset=lecture&panel")
    lecture = shown(page)
    notice = page.locator("[data-notice]")
    page.locator("[data-control=remove-layer]").click()
    expect(page.locator("[data-node]")).to_have_count(3 + 1)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("the output layer ŷ were re-initialised")
    expect(notice).to_contain_text("Ctrl+Z undoes it")
    idle(page)
    page.locator("[data-control=add-layer]").click()
    expect(page.locator("[data-node]")).to_have_count(3 + 2 + 1)
    expect(notice).to_contain_text("hidden layer 1 and the output layer ŷ got back the weights")
    idle(page)
    assert shown(page) == lecture


def test_new_weights_are_announced_in_the_messages_row_and_ctrl_z_undoes_them(page):
    open_page(page, "?preset=lecture&panel")
    lecture = shown(page)
    page.locator("[aria-label='Add a unit to Hidden 1']").click()
    notice = page.locator("[data-region=messages] [data-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Hidden layer 1 and the output layer ŷ got new initial weights")
    idle(page)
    page.keyboard.press("Control+z")
    expect(page.locator("[data-node]")).to_have_count(3 + 2 + 1)
    idle(page)
    assert shown(page) == lecture
