"""The security policy in a real Chromium: the page and /docs work under it, an injected script
does not, and a DNS-rebound name is refused. (The `page` fixture fails on any console error,
so a CSP violation anywhere in the browser suite fails it too.)"""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from .server import CHROMIUM, CHROMIUM_ARGS

# Every violation the page reports, kept for the test to read.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def test_the_page_draws_its_mathml_and_svg_through_every_phase_under_its_policy(page):
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(page.base_url + "/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page.locator("[data-testid=explain] math").first).to_be_visible()
    expect(page.locator("[data-testid=loss]")).to_contain_text("0.1276")
    for phase in "1234":  # forward, loss, backward (gradient flow), update
        page.keyboard.press(phase)
        expect(page.locator("[data-testid=explain] math").first).to_be_visible()
    expect(page.locator("svg [data-node]")).to_have_count(6)
    assert page.evaluate("window.__violations") == []


def test_an_injected_inline_script_is_refused(page):
    page.allowed_console = [r"Content Security Policy"]  # the refusal is reported; that is the point
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(page.base_url + "/")
    expect(page.locator("[data-testid=loss]")).to_contain_text("0.1276")
    ran = page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__injected = true";
        document.head.append(s);
        return window.__injected === true;
    }""")
    assert ran is False
    page.wait_for_function("window.__violations.length > 0")  # the event is dispatched asynchronously
    assert page.evaluate("window.__violations")[0].startswith("script-src-elem inline")


def test_docs_lists_the_operations_and_tries_one_with_only_local_requests(page, server):
    origin = urlsplit(server.url).netloc
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(server.url + "/docs")
    for path in ("/api/step", "/api/explain", "/api/registry", "/api/presets", "/api/health"):
        expect(page.locator(f'.opblock-summary-path[data-path="{path}"]')).to_have_count(1)
    health = page.locator('.opblock:has(.opblock-summary-path[data-path="/api/health"])')
    health.locator(".opblock-summary").click()
    health.locator(".try-out__btn").click()
    health.locator(".execute").click()
    expect(health.locator(".live-responses-table tr.response .response-col_status")).to_contain_text("200")
    assert page.evaluate("window.__violations") == []
    foreign = [u for u in requests if not u.startswith("data:") and urlsplit(u).netloc != origin]
    assert not foreign, foreign


def test_a_name_rebound_to_this_machine_is_refused_while_the_local_names_are_served(browser, server):
    """DNS rebinding: a name of the attacker's that resolves to 127.0.0.1, opened in a real browser."""
    port = urlsplit(server.url).port
    rebinding = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP rebind.test 127.0.0.1"])
    try:
        pg = rebinding.new_page()
        response = pg.goto(f"http://rebind.test:{port}/")
        assert response.status == 400
        assert "Invalid Host header" in pg.locator("body").inner_text()
        assert response.headers["x-content-type-options"] == "nosniff"
        assert pg.goto(f"http://rebind.test:{port}/api/health").status == 400
        assert pg.goto(f"http://localhost:{port}/api/health").status == 200
        assert pg.goto(f"http://127.0.0.1:{port}/api/health").status == 200
    finally:
        rebinding.close()
