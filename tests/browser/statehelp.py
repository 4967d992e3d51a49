"""Helpers of the kept-state, export and classroom browser tests: open a preset, wait for
answers and for the link, read every number the diagram shows, edit through the page."""

from __future__ import annotations

from playwright.sync_api import expect

EXPLAIN = "[data-testid=explain]"


def idle(page, timeout=None):
    """Wait until the latest request has its answer and the link is written."""
    expect(page.locator("[data-region=status][data-pending]")).to_have_count(0, timeout=timeout)
    expect(page.locator("html[data-link-pending]")).to_have_count(0, timeout=timeout)


def open_page(page, query="", loss="0.1276"):
    page.goto(page.base_url + "/" + query)
    expect(page.locator(f"{EXPLAIN} [data-line=value]")).to_be_visible()
    if loss:
        expect(page.locator("[data-testid=loss]")).to_contain_text(loss)
    idle(page)


def shown(page):
    """Every number on the drawing (exact, from the data-* hooks), the loss, the step and the theme."""
    return page.evaluate("""() => ({
      weights: [...document.querySelectorAll('[data-edge]')].map((e) => [e.dataset.edge, e.getAttribute('data-weight')]),
      biases: [...document.querySelectorAll('[data-bias]')].map((e) => [e.dataset.bias, e.getAttribute('data-value')]),
      nodes: [...document.querySelectorAll('[data-node]')].map((e) => [e.dataset.node, e.getAttribute('data-value')]),
      targets: [...document.querySelectorAll('[data-target]')].map((e) => [e.dataset.target, e.getAttribute('data-value')]),
      loss: document.querySelector('[data-testid=loss]').getAttribute('data-value'),
      step: document.querySelector('[data-step-counter]').textContent,
      theme: document.documentElement.dataset.theme,
      presenting: document.documentElement.hasAttribute('data-presenting'),
    })""")


def edit(page, ref, text, settle=True):
    """Type a value into a diagram element, as a teacher does (click, type, Enter), and (settle)
    wait for its answer."""
    page.locator(f'[data-editable="{ref}"]').first.click()
    editor = page.locator(f'[data-editor="{ref}"]')
    expect(editor).to_be_focused()
    editor.fill(text)
    editor.press("Enter")
    if settle:
        idle(page)


def menu(page):
    """Open the File menu."""
    if not page.locator("[data-control=file][open]").count():
        page.locator("[data-control=file] summary").click()
    return page.locator("[data-control=file] .menu-panel")
