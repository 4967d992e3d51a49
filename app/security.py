"""Web security: the security headers on every answer, and the Host check against DNS rebinding.

Both are pure ASGI middleware wrapped around the whole application (`install`), outside
Starlette's ServerErrorMiddleware, so even a 500 carries the headers and a request naming
a foreign Host never reaches the app.
"""

from __future__ import annotations

import ipaddress

from .config import Settings

LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


def content_security_policy(script_hashes: tuple[str, ...] = ()) -> str:
    """The policy: this origin only, no inline script (bar the hashes given), no plugins, no framing.

    `style-src 'self'` blocks <style> elements and style attributes, but not scripts setting
    `element.style` (CSSOM), which is how the page sets every style. `img-src data: blob:` is for
    the icon and the PNG export.
    """
    script = " ".join(["'self'", *(f"'{h}'" for h in script_hashes)])
    return ("default-src 'self'; "
            f"script-src {script}; "
            "style-src 'self'; "
            "img-src 'self' data: blob:; "
            "object-src 'none'; "
            "base-uri 'self'; "
            "form-action 'self'; "
            "frame-ancestors 'none'")


CSP = content_security_policy()
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def _address(text: str) -> str | None:
    """An IP address as a Host header writes it (IPv6 in brackets, compressed); None if not an address."""
    try:
        ip = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None
    return f"[{ip.compressed}]" if ip.version == 6 else ip.compressed


def _is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(settings: Settings) -> tuple[str, ...]:
    """The Host names this server answers to: the setting, or the local names when bound to loopback."""
    if settings.allowed_hosts:
        return tuple(_address(h) or host_name(h) or h for h in settings.allowed_hosts)
    if _is_loopback(settings.host):
        return tuple(dict.fromkeys((*LOCAL_NAMES, _address(settings.host) or host_name(settings.host))))
    raise ValueError(f"the server is bound to {settings.host}, not a loopback address: list the host names "
                     "it is reached by in BACKPROP_LAB_ALLOWED_HOSTS (comma-separated; * allows any)")


def host_name(header: str) -> str | None:
    """The name in a Host header, lower-case, without its port or final dot; None if it is malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        inside, bracket, rest = header[1:].partition("]")
        name = _address(inside) if bracket else None
        port = rest[1:] if rest.startswith(":") else rest
        if name is None or (rest and not rest.startswith(":")):
            return None
    else:
        name, _, port = header.partition(":")
        name = name.rstrip(".")
    if not name or (port and not port.isdigit()):
        return None
    return name


def host_allowed(name: str | None, patterns: tuple[str, ...], server_address: str | None = None) -> bool:
    """Whether a Host name is one of the patterns (* any, *.example.org its subdomains).

    The address the request arrived at is allowed too: an address typed as such is never a
    rebound DNS name (and the in-process test client names itself there).
    """
    if "*" in patterns:
        return True
    if name is None:
        return False
    if server_address is not None and name == (_address(server_address) or server_address.lower()):
        return True
    return any(name == p or (p.startswith("*.") and name.endswith(p[1:])) for p in patterns)


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP answer; a route's own Content-Security-Policy wins."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in HEADERS if h[0] not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AllowedHostsMiddleware:
    """Answers 400 to a request whose Host is not an allowed name (DNS rebinding); the app never sees it."""

    def __init__(self, app, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.hosts = hosts
        self.seen: dict[tuple, bool] = {}  # (Host header, server address) → allowed: a class sends the same few

    def allowed(self, header: bytes | None, server: str | None) -> bool:
        key = (header, server)
        verdict = self.seen.get(key)
        if verdict is None:
            name = host_name(header.decode("latin-1")) if header is not None else None
            verdict = host_allowed(name, self.hosts, server)
            if len(self.seen) >= 256:  # a client inventing Host headers cannot grow it
                self.seen.clear()
            self.seen[key] = verdict
        return verdict

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        header = next((v for k, v in scope["headers"] if k == b"host"), None)
        server = scope.get("server")
        if self.allowed(header, server[0] if server else None):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        body = b"Invalid Host header: this server answers only to the names it is configured for.\n"
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def install(app, settings: Settings) -> None:
    """Wrap the app's whole middleware stack (built on its first request) in the Host check and the headers."""
    hosts = allowed_hosts(settings)
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: SecurityHeadersMiddleware(AllowedHostsMiddleware(build(), hosts))
