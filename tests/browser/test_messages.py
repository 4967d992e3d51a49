"""What the page says when something is wrong: a typed value that is not a number, too large
or out of range keeps its editor with a message (never dropped silently); a refused
hyper-parameter says which value is still used; a loss that grows over consecutive updates
is warned of before it is infinite."""

from __future__ import annotations

import math
import re

from playwright.sync_api import expect

from .test_page import idle, open_lecture


def test_a_bad_typed_value_stays_with_a_message_saying_what_is_wrong(page):
    open_lecture(page)
    page.locator('[data-editable="L2W0_0"]').first.click()
    editor = page.locator('[data-editor="L2W0_0"]')
    editor.fill("0.7x")
    page.locator("[data-testid=explain]").click()  # a click elsewhere does not drop it
    expect(editor).to_be_visible()
    expect(editor).to_have_value("0.7x")
    expect(page.locator("[data-editor-hint]")).to_contain_text("“0.7x” is not a number")
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.6")
    editor.fill("1e400")
    editor.press("Enter")
    expect(page.locator("[data-editor-hint]")).to_contain_text("too large")
    editor.fill("0.25")
    editor.press("Enter")
    expect(page.locator("[data-editor]")).to_have_count(0)
    expect(page.locator('[data-edge="L2W0_0"]')).to_have_attribute("data-weight", "0.25")


def test_a_refused_learning_rate_says_what_is_wrong_and_which_value_is_used(page):
    open_lecture(page, "?panel")
    lr = page.locator("[data-control=lr]")
    lr.fill("-1")
    lr.press("Enter")
    hint = page.locator("label:has([data-control=lr]) .field-hint")
    expect(hint).to_contain_text(re.compile(r"-1 is out of range: it must be (above|at least) 0(\.0)? \(0\.5 is still used\)"))
    expect(lr).to_have_attribute("aria-invalid", "")


def test_a_bad_batch_cell_is_named_with_its_problem(page):
    page.goto(page.base_url + "/?preset=xor&panel")
    expect(page.locator("[data-testid=explain] [data-line=value]")).to_be_visible()
    cell = page.locator("[data-cell='x:1,0']")
    cell.fill("1e400")
    expect(page.locator("[data-batch-hint]")).to_contain_text("too large")
    expect(cell).to_have_attribute("aria-invalid", "")
    cell.fill("0.5")
    expect(page.locator("[data-batch-hint]")).to_have_text("")


def test_a_growing_loss_is_warned_of_before_it_is_infinite(page):
    open_lecture(page)
    page.evaluate("() => window.backpropLab.setOptimizer({ lr: 40 })")  # far too large: it diverges
    idle(page)
    warning = page.locator("[data-loss-warning]")
    losses = []
    for _ in range(4):
        page.keyboard.press("a")  # Apply update
        idle(page)
        losses.append(float(page.locator("[data-testid=loss]").get_attribute("data-value")))
        if warning.is_visible():
            break
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(re.compile(r"grew over the last \d+ updates"))
    assert math.isfinite(losses[-1]), f"the warning came only when the loss was infinite: {losses}"
    page.evaluate("() => window.backpropLab.setOptimizer({ lr: 0.5 })")  # any other edit starts again
    idle(page)
    expect(warning).to_be_hidden()
