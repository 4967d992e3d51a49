"""Exports for slides: the diagram as SVG (valid, values and colours inlined) and PNG (decodes,
twice the diagram's size), the current step as LaTeX and text with the API's numbers, and the
printable handout under print media."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

from playwright.sync_api import expect

from .statehelp import EXPLAIN, idle, menu, open_page

SVG = "{http://www.w3.org/2000/svg}"


def export(page, kind, tmp_path):
    with page.expect_download() as info:
        menu(page).locator(f"[data-export={kind}]").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_the_diagram_exports_as_svg_with_its_values_and_colours_inlined(page, tmp_path):
    open_page(page)
    page.keyboard.press("End")
    idle(page)
    texts = page.evaluate("""() => [...document.querySelectorAll('[data-diagram] text')]
        .filter((t) => t.checkVisibility() && t.textContent.trim()).map((t) => t.textContent)""")
    path = export(page, "svg", tmp_path)
    assert path.name.endswith(".svg")
    root = ET.parse(path).getroot()  # well-formed XML
    assert root.tag == f"{SVG}svg"
    exported = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    for value in ["0.4675", "0.5175", "0.6428"]:
        assert any(value in t for t in texts), value  # the page shows it…
        assert any(value in t for t in exported), value  # …and so does the file
    assert sorted(t for t in texts) == sorted(t for t in exported if t.strip())
    # No stylesheet needed: colours and fonts are attributes; the lecture's positive weights are blue.
    assert root.find(f".//{SVG}style") is None
    strokes = {line.get("stroke") for line in root.iter(f"{SVG}line")}
    assert "rgb(33, 102, 172)" in strokes
    assert all(t.get("font-size", "").endswith("px") for t in root.iter(f"{SVG}text"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_the_diagram_exports_as_a_png_twice_its_size(page, tmp_path):
    open_page(page)
    size = page.evaluate("() => { const s = document.querySelector('[data-diagram]'); return [Number(s.getAttribute('width')), Number(s.getAttribute('height'))]; }")
    path = export(page, "png", tmp_path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (round(size[0] * 2), round(size[1] * 2))
    assert len(data) > 5_000  # a drawing, not an empty canvas


def test_the_current_step_exports_as_latex_and_text_with_the_apis_numbers(page, tmp_path, api):
    open_page(page)
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.locator(EXPLAIN)).to_contain_text("Step 5 of 33")
    yhat = api.step(api.get("/api/presets/lecture"))["output"][0][0]
    tex = export(page, "latex", tmp_path).read_text()
    assert "\\begin{aligned}" in tex and "\\end{aligned}" in tex
    assert "\\hat{y} &= w_{0}^{\\mathrm{out}} \\cdot z^{0} + w_{1}^{\\mathrm{out}} \\cdot z^{1} + \\beta^{\\mathrm{out}}" in tex
    assert "&= 0.6 \\cdot 0.4675 + 0.7 \\cdot 0.5175 + 0.0" in tex
    assert f"&= {yhat:.4f}" in tex
    text = export(page, "text", tmp_path).read_text()
    assert text.splitlines()[1:] == ["ŷ = w₀ᵒᵘᵗ·z⁰ + w₁ᵒᵘᵗ·z¹ + βᵒᵘᵗ", "  = 0.6·0.4675 + 0.7·0.5175 + 0.0", f"  = {yhat:.4f}"]


def print_handout(page):
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; }")
    menu(page).locator("[data-export=handout]").click()
    assert page.evaluate("() => window.__printed") == 1
    page.emulate_media(media="print")


def test_printing_shows_the_handout_with_every_step_of_a_small_network(page):
    open_page(page)
    print_handout(page)
    handout = page.locator("[data-handout]")
    expect(handout).to_be_visible()
    expect(page.locator("main")).to_be_hidden()
    expect(page.locator("[data-region=player]")).to_be_hidden()
    expect(handout.locator("[data-handout-step]")).to_have_count(33)
    expect(handout).to_contain_text("All 33 steps")
    expect(handout.locator('[data-handout-step="4"]')).to_contain_text("0.6428")
    expect(handout.locator("img.handout-diagram")).to_be_visible()
    page.emulate_media(media="screen")
    expect(handout).to_be_hidden()


def test_a_big_networks_handout_shows_one_step_of_each_kind_per_layer(page):
    open_page(page, "?preset=mini-mlp", loss=None)
    total = int(page.locator("[data-step-counter]").text_content().split("/")[1])
    print_handout(page)
    steps = page.locator("[data-handout] [data-handout-step]")
    expect(page.locator("[data-handout]")).to_contain_text("one of each kind per layer")
    n = steps.count()
    assert 10 <= n < total / 5, (n, total)
