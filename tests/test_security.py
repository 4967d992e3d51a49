"""Web security: the headers on every answer, the Host check (DNS rebinding), /docs from local assets."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from app import cli
from app.config import Settings
from app.main import create_app
from app.security import allowed_hosts, host_allowed, host_name

REQUIRED = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}


def _policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: [sources]}."""
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            assert words[0] not in out, f"{words[0]} twice"
            out[words[0]] = words[1:]
    return out


def _assert_secured(r) -> dict[str, list[str]]:
    for name, value in REQUIRED.items():
        assert r.headers.get(name) == value, (r.request.url, name, r.headers)
    assert len(r.headers.get_list("content-security-policy")) == 1
    policy = _policy(r.headers["content-security-policy"])
    assert set(policy) == {"default-src", "script-src", "style-src", "img-src", "object-src",
                           "base-uri", "form-action", "frame-ancestors"}
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert all(s.startswith("'sha256-") for s in policy["script-src"][1:])  # no host, no 'unsafe-inline'
    assert policy["style-src"] == ["'self'"]  # no <style> element, no style attribute (the page styles via the CSSOM)
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    sources = [s for sources in policy.values() for s in sources]
    assert not [s for s in sources if "://" in s or s.startswith(("http", "*")) or "." in s.strip("'")], sources
    return policy


@pytest.fixture(scope="module")
def bare():
    """A fresh app, no lifespan (no torch warm-up), with a route that fails and one that records its calls."""
    app = create_app(Settings(open_browser=False))
    calls = []

    @app.get("/test-boom")
    def boom():
        raise RuntimeError("a bug")

    @app.get("/test-reached")
    def reached():
        calls.append(1)
        return {"reached": True}

    client = TestClient(app, raise_server_exceptions=False)
    client.calls = calls
    return client


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/", 200),
    ("GET", "/api/health", 200),
    ("GET", "/api/registry", 200),
    ("GET", "/api/presets/lecture", 200),
    ("GET", "/static/js/main.js", 200),
    ("GET", "/static/css/app.css", 200),
    ("GET", "/docs", 200),
    ("GET", "/docs/assets/swagger-ui-bundle.js", 200),
    ("GET", "/openapi.json", 200),
    ("GET", "/no-such-page", 404),
    ("GET", "/static/no-such-file.js", 404),
    ("GET", "/api/step", 405),
    ("POST", "/api/step", 422),
])
def test_every_kind_of_answer_carries_the_security_headers(client, method, path, status):
    r = client.request(method, path, content=b"{}" if method == "POST" else None,
                       headers={"content-type": "application/json"} if method == "POST" else {})
    assert r.status_code == status
    _assert_secured(r)


def test_a_step_and_the_body_limits_422_carry_the_security_headers(client, lecture):
    _assert_secured(client.post("/api/step", json=lecture))
    r = client.post("/api/step", content=b"x" * 2_000_000, headers={"content-type": "application/json"})
    assert r.status_code == 422
    _assert_secured(r)


def test_a_server_error_carries_the_security_headers_too(bare):
    r = bare.get("/test-boom")
    assert r.status_code == 500
    _assert_secured(r)


def test_the_page_and_the_api_allow_no_inline_script_at_all(client):
    for path in ("/", "/api/health"):
        assert _policy(client.get(path).headers["content-security-policy"])["script-src"] == ["'self'"]


def test_the_page_has_no_inline_script_and_only_relative_urls(client):
    html = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline <script>"
    assert not re.search(r"\son\w+=", html), "an inline event handler"
    for url in re.findall(r'\b(?:src|href)="([^"]*)"', html):
        assert not urlsplit(url).netloc and not url.startswith("/"), url  # relative: works behind any prefix


# ---- /docs ----------------------------------------------------------------------------------------


def test_docs_loads_only_local_assets_and_its_inline_script_is_allowed_by_its_hash(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    policy = _assert_secured(r)
    inline = re.findall(r"<script>(.*?)</script>", r.text, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'"]
    urls = re.findall(r'\b(?:src|href)="([^"]*)"', r.text) + re.findall(r'url:\s*"([^"]*)"', inline[0])
    assert len(urls) == 4, urls  # the icon, the CSS, the JS, the OpenAPI document
    for url in urls:
        if url.startswith("data:"):
            continue
        assert not urlsplit(url).scheme and not urlsplit(url).netloc and not url.startswith("/"), url
        asset = client.get(urljoin("http://testserver/docs", url))
        assert asset.status_code == 200, url
        _assert_secured(asset)
        assert asset.headers["content-type"].split(";")[0] in ("text/css", "text/javascript", "application/json")
    assert json.loads(client.get("/openapi.json").text)["openapi"].startswith("3.")


def test_docs_serves_only_its_own_assets(client):
    assert client.get("/docs/assets/..%2Fsecurity.py").status_code == 404
    assert client.get("/docs/assets/index.html").status_code == 404


def test_fastapis_cdn_pages_are_gone(client):
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404


# ---- allowed hosts --------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "localhost:1234", "LocalHost.:80",
                                  "[::1]", "[::1]:8000"])
def test_local_names_with_any_port_are_served_by_default(bare, host):
    assert bare.get("/api/health", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil",
                                  "10.0.0.1", "[::2]", "localhost:http", "[::1", "", "a b"])
def test_another_host_gets_400_and_never_reaches_the_app(bare, host):
    before = len(bare.calls)
    r = bare.get("/test-reached", headers={"host": host})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert "Host" in r.text and len(r.text) < 200
    _assert_secured(r)
    assert len(bare.calls) == before
    assert bare.get("/test-reached", headers={"host": "localhost"}).status_code == 200
    assert len(bare.calls) == before + 1


def test_a_request_without_a_host_header_gets_400():
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    app = create_app(Settings(open_browser=False))
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.0", "method": "GET", "scheme": "http",
             "path": "/api/health", "raw_path": b"/api/health", "query_string": b"", "root_path": "",
             "headers": [], "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    with ThreadPoolExecutor(1) as pool:  # a loop of its own: Playwright's may be running in this one
        pool.submit(asyncio.run, app(scope, receive, send)).result(timeout=10)
    assert sent[0]["status"] == 400


def test_listed_names_and_their_patterns_are_the_only_ones_served_when_bound_elsewhere():
    s = Settings(host="0.0.0.0", allowed_hosts=["lab.example.org", "*.dept.example.org"])
    app = TestClient(create_app(s))
    assert app.get("/api/health", headers={"host": "lab.example.org"}).status_code == 200
    assert app.get("/api/health", headers={"host": "a.dept.example.org:8443"}).status_code == 200
    for host in ("dept.example.org", "localhost", "evil.example", "xlab.example.org"):
        assert app.get("/api/health", headers={"host": host}).status_code == 400, host


def test_a_star_allows_any_host():
    app = TestClient(create_app(Settings(host="0.0.0.0", allowed_hosts=["*"])))
    assert app.get("/api/health", headers={"host": "anything.example"}).status_code == 200


def test_the_allowed_hosts_setting_reads_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_ALLOWED_HOSTS", " lab.example.org, [::1] ,localhost:8000")
    assert allowed_hosts(Settings()) == ("lab.example.org", "[::1]", "localhost")


def test_bound_to_a_non_local_address_the_names_must_be_listed(monkeypatch):
    with pytest.raises(ValueError, match="BACKPROP_LAB_ALLOWED_HOSTS"):
        create_app(Settings(host="0.0.0.0"))
    import uvicorn

    monkeypatch.delenv("BACKPROP_LAB_ALLOWED_HOSTS", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: pytest.fail("served without a Host list"))
    with pytest.raises(SystemExit, match="BACKPROP_LAB_ALLOWED_HOSTS"):
        cli.main(["--host", "0.0.0.0", "--no-browser"])


@pytest.mark.parametrize("bound", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_bound_to_loopback_the_local_names_are_the_default(bound):
    hosts = allowed_hosts(Settings(host=bound))
    assert {"127.0.0.1", "localhost", "[::1]"} <= set(hosts) and "*" not in hosts


def test_host_names_are_compared_without_port_case_or_final_dot():
    assert host_name("LOCALHOST.:8000") == "localhost"
    assert host_name("[0:0::1]:80") == "[::1]"
    assert host_name("evil.example:notaport") is None
    assert not host_allowed("evil.example", ("localhost",))
    assert host_allowed("127.0.0.5", ("localhost",), server_address="127.0.0.5")  # the address it arrived at
