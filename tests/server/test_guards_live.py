"""Hostile clients against the real uvicorn: oversized and slow bodies, stalled request
heads, foreign Host and Origin headers, and the security headers on every answer."""

from __future__ import annotations

import time

import httpx
import pytest
from socket_helpers import connect, json_of, read_response, status_of

from app.config import Settings

LIMIT = Settings().max_body_bytes


def post_head(path: str, extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{extra}\r\n"
    ).encode()


def test_a_200_mb_content_length_is_refused_before_the_body_is_read(live_server):
    with connect(live_server) as sock:
        sock.sendall(post_head("/api/backprop", "Content-Length: 200000000\r\n"))
        sock.sendall(b"[" * 1000)  # a little of it; the rest never comes
        started = time.monotonic()
        raw = read_response(sock)
    assert status_of(raw) == 413
    body = json_of(raw)
    assert body["code"] == "body_too_large"
    assert body["errors"][0]["field"] == "body"
    assert "200000000" in body["detail"] and str(LIMIT) in body["detail"]
    # Answered at once and the connection closed (read_response returned on EOF, not its limit).
    assert time.monotonic() - started < 5


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(live_server):
    with connect(live_server) as sock:
        sock.sendall(post_head("/api/networks", "Transfer-Encoding: chunked\r\n"))
        chunk = b"[" * 1_000_000
        sent = 0
        try:
            while sent < 3 * LIMIT:  # the server answers long before this much is sent
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        raw = read_response(sock)
    assert status_of(raw) == 413, raw[:300]
    assert json_of(raw)["code"] == "body_too_large"
    assert sent <= LIMIT + 8 * len(chunk)  # stopped near the limit, not after 3x of it


def test_a_body_under_the_limit_is_read_whole(live_server):
    # 300 samples of 784 inputs: ~1.5 MB of JSON, parsed off the event loop.
    net = {"sizes": [784, 2], "activations": ["sigmoid"], "cost": "quadratic", "init": {}}
    body = {"network": net, "x": [[0.5] * 784] * 300, "y": [[0, 1]] * 300}
    r = httpx.post(f"{live_server}/api/forward", json=body, timeout=30)
    assert r.status_code == 200, r.text[:300]
    assert len(r.json()["output"]) == 300


def test_a_stalled_request_head_is_closed(strict_server):
    with connect(strict_server) as sock:
        sock.sendall(b"GET /api/networks HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line
        started = time.monotonic()
        raw = read_response(sock, limit=10)
    assert raw == b""  # closed without an answer
    assert time.monotonic() - started < 8  # header_timeout is 1 s here, not forever


def test_a_stalled_body_gets_408(strict_server):
    with connect(strict_server) as sock:
        sock.sendall(post_head("/api/backprop", "Content-Length: 100\r\n") + b'{"x": ')
        raw = read_response(sock, limit=10)
    assert status_of(raw) == 408
    body = json_of(raw)
    assert body["code"] == "request_timeout"
    assert body["errors"][0]["field"] == "body"


def test_a_keep_alive_connection_stays_usable_after_answers(strict_server):
    """The head timer restarts after each answer instead of cutting a healthy connection."""
    with httpx.Client(base_url=strict_server) as c:
        for _ in range(3):
            assert c.get("/api/datasets").status_code == 200
            time.sleep(0.3)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.2", ""])
def test_a_foreign_host_header_is_refused(live_server, host):
    """DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends its own name."""
    r = httpx.get(f"{live_server}/api/networks", headers={"Host": host})
    assert r.status_code == 400
    assert r.json()["code"] == "host_not_allowed"
    assert r.json()["errors"][0]["field"] == "Host"
    r = httpx.delete(f"{live_server}/api/networks/1", headers={"Host": host})
    assert r.status_code == 400
    assert httpx.get(f"{live_server}/api/networks/1").status_code == 200  # still there


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_loopback_names_are_answered(live_server, host):
    port = live_server.rsplit(":", 1)[1]
    r = httpx.get(f"{live_server}/api/datasets", headers={"Host": f"{host}:{port}"})
    assert r.status_code == 200


def test_a_foreign_origin_cannot_change_anything(live_server):
    port = live_server.rsplit(":", 1)[1]
    before = httpx.get(f"{live_server}/api/networks").json()
    for origin in ["http://evil.example", "null", f"http://127.0.0.1:{int(port) + 1}"]:
        headers = {"Origin": origin}
        r = httpx.delete(f"{live_server}/api/networks/1", headers=headers)
        assert r.status_code == 403, origin
        assert r.json()["code"] == "foreign_origin"
        r = httpx.post(f"{live_server}/api/networks", json={}, headers=headers)
        assert r.status_code == 403
    assert httpx.get(f"{live_server}/api/networks").json() == before
    # Reading is not a change (and the browser keeps another site from seeing the answer).
    assert httpx.get(f"{live_server}/api/networks", headers={"Origin": "http://evil.example"})
    # The page itself sends its own origin.
    own = {"Origin": f"http://127.0.0.1:{port}"}
    r = httpx.post(f"{live_server}/api/networks", json={}, headers=own)
    assert r.status_code == 422  # past the guard, refused for its (empty) body


def test_a_form_post_is_415(live_server):
    """A cross-site <form> can only send form or text bodies: never JSON."""
    r = httpx.post(
        f"{live_server}/api/networks",
        content=b"name=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 415
    assert r.json()["code"] == "unsupported_media_type"
    assert r.json()["errors"][0]["field"] == "Content-Type"


@pytest.mark.parametrize("path", ["/", "/api/networks", "/static/js/main.js", "/docs", "/nope"])
def test_every_answer_carries_the_security_headers(live_server, path):
    r = httpx.get(f"{live_server}{path}")
    csp = r.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
