"""POST /api/step's fast path (app/fastpath.py): it answers a small valid step itself, byte for byte
what the engine's service writes, and hands everything else to the application with what it made
of the body, so every answer is what the documented route gives and nothing is parsed twice."""

from __future__ import annotations

import orjson
import pytest

import app.fastpath as fastpath
import app.routes.api as api
import app.service as service
from app.engine.presets import get_preset
from helpers import app_client


def _spy(calls: list, name: str, fn):
    def wrapped(*args, **kwargs):
        calls.append(name)
        return fn(*args, **kwargs)
    return wrapped


@pytest.fixture
def spied(monkeypatch):
    """Which module's parse and answer_bytes ran, in order."""
    calls: list = []
    for tag, module in (("fast", fastpath), ("route", api)):
        monkeypatch.setattr(module, "parse", _spy(calls, f"{tag}.parse", module.parse))
        monkeypatch.setattr(module, "answer_bytes", _spy(calls, f"{tag}.answer_bytes", module.answer_bytes))
    return calls


def test_the_lecture_is_answered_by_the_fast_path_with_the_services_exact_bytes_and_the_headers(client, spied):
    body = orjson.dumps(get_preset("lecture"))
    ok = client.post("/api/step", content=body, headers={"content-type": "application/json"})
    assert spied == ["fast.parse", "fast.answer_bytes"]  # the route never ran
    assert ok.status_code == 200 and ok.headers["content-type"] == "application/json"
    assert ok.content == service.step_bytes(body, client.app.state.settings)
    assert abs(ok.json()["output"][0][0] - 0.6428) < 5e-5
    assert ok.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in ok.headers
    assert int(ok.headers["content-length"]) == len(ok.content)


def test_an_invalid_request_is_parsed_once_and_gets_the_routes_422(client, spied):
    bad = client.post("/api/step", content=b"{", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body"]
    assert spied == ["fast.parse"]  # the route raised what the fast path found, without parsing again
    lecture = get_preset("lecture")
    lecture["network"]["layers"][0]["units"] = 3  # weights of 2 rows for 3 units
    spied.clear()
    shape = client.post("/api/step", json=lecture)
    assert shape.status_code == 422 and shape.json()["detail"][0]["loc"] == ["body", "network", "layers", 0, "weights"]
    assert spied == ["fast.parse"]


def test_an_optimizer_state_the_engine_refuses_is_a_422_from_the_route_without_a_second_step(client, spied):
    state = {"name": "sgd", "params": {"layers.0.bias": {"momentum_buffer": [1.0, 2.0, 3.0]}}}  # 3 for 2 biases
    lecture = get_preset("lecture") | {"optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}, "optimizer_state": state}
    answer = client.post("/api/step", json=lecture)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "optimizer_state", "params", "layers.0.bias", "momentum_buffer"]
    assert spied == ["fast.parse", "fast.answer_bytes"]  # the route raised the engine's refusal it was handed


def test_a_body_in_pieces_goes_the_applications_way_and_gets_the_same_answer(client, spied):
    body = orjson.dumps(get_preset("lecture"))
    messages = [{"type": "http.request", "body": body[:100], "more_body": True},
                {"type": "http.request", "body": body[100:], "more_body": False}]
    sent = _call(client, messages)
    assert spied == ["route.parse", "route.answer_bytes"]
    assert sent[0]["status"] == 200 and b"".join(m.get("body", b"") for m in sent[1:]) == \
        service.step_bytes(body, client.app.state.settings)


def test_a_client_gone_before_its_body_ends_gets_no_answer_and_no_error(client, spied):
    body = orjson.dumps(get_preset("lecture"))
    sent = _call(client, [{"type": "http.request", "body": body[:100], "more_body": True}, {"type": "http.disconnect"}])
    assert sent == [] and spied == []


def _call(client, messages: list, headers: list = (), asked: list | None = None) -> list:
    """The application called as uvicorn would, with these receive() messages; what it sent."""
    sent, pending = [], list(messages)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/step", "raw_path": b"/api/step", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"), *headers],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80), "state": {}}

    async def receive():
        if asked is not None:
            asked.append(1)
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    async def call():
        await client.app(scope, receive, send)

    client.portal.call(call)  # on the client's event loop, where the app's lifespan ran
    return sent


def test_a_body_over_the_body_limit_is_refused_even_when_the_inline_limit_is_larger():
    body = orjson.dumps(get_preset("mini-mlp"))
    with app_client(max_body_bytes=1024, inline_max_bytes=len(body) + 10) as c:
        assert len(body) > 1024
        refused = c.post("/api/step", content=body, headers={"content-type": "application/json"})
        assert refused.status_code == 422 and "max_body_bytes" in refused.json()["detail"][0]["msg"]


def test_a_body_announced_over_the_limit_is_refused_at_once_without_waiting_for_it(client, spied):
    """Content-Length alone decides: the application's body limit answers before any byte is read."""
    lecture = orjson.dumps(get_preset("lecture"))
    asked: list = []  # receive() calls: a client that announced 100 GB and sent nothing yet would hang them
    sent = _call(client, [], headers=[(b"content-length", b"99999999999")], asked=asked)
    assert sent[0]["status"] == 422 and b"max_body_bytes" in sent[1]["body"] and spied == [] and asked == []
    sent = _call(client, [{"type": "http.request", "body": lecture, "more_body": False}],
                 headers=[(b"content-length", str(len(lecture)).encode())])
    assert sent[0]["status"] == 200 and spied == ["fast.parse", "fast.answer_bytes"]


def test_other_methods_paths_and_hosts_are_the_applications(client):
    wrong = client.get("/api/step")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert client.post("/api/explain", json=get_preset("lecture")).status_code == 200
    foreign = client.post("/api/step", json=get_preset("lecture"), headers={"host": "evil.example"})
    assert foreign.status_code == 400  # the Host check sits outside the fast path
