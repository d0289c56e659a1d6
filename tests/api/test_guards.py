"""The Host and Origin rules on their own (the live-server tests send them over sockets)."""

from __future__ import annotations

import pytest

from app.api.guards import same_origin, split_host


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", ("localhost", None)),
        ("LocalHost:8000", ("localhost", "8000")),
        ("[::1]:8000", ("[::1]", "8000")),
        ("[::1]", ("[::1]", None)),
        ("127.0.0.1:80", ("127.0.0.1", "80")),
    ],
)
def test_split_host(host, expected):
    assert split_host(host) == expected


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "same"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "http", True),
        ("http://localhost:8000", "localhost:8000", "http", True),
        ("http://[::1]:8000", "[::1]:8000", "http", True),
        ("https://explorer.lan", "explorer.lan", "https", True),
        ("http://localhost", "localhost:80", "http", True),
        ("http://localhost:8001", "localhost:8000", "http", False),  # another local app
        ("http://127.0.0.1:8000", "localhost:8000", "http", False),  # another name
        ("http://evil.example", "localhost:8000", "http", False),
        ("null", "localhost:8000", "http", False),  # sandboxed frames, file: pages
        ("http://localhost:99999", "localhost:8000", "http", False),  # not a port at all
    ],
)
def test_same_origin(origin, host, scheme, same):
    assert same_origin(origin, host, scheme) is same


def test_another_sites_page_cannot_open_the_live_stream(shared_client):
    """Cross-site WebSocket hijacking: browsers send Origin on the handshake; it must match."""
    from starlette.websockets import WebSocketDisconnect

    nid = shared_client.get("/api/networks").json()[0]["id"]
    for headers in ({"origin": "http://evil.example"}, {"host": "evil.example"}):
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            shared_client.websocket_connect(f"/api/networks/{nid}/live", headers=headers) as ws,
        ):
            ws.receive_bytes()
        assert refused.value.code == 1008
    # Its own page gets past the guard: the stream accepts the handshake.
    accepted = False
    try:
        with shared_client.websocket_connect(
            f"/api/networks/{nid}/live", headers={"origin": "http://testserver"}
        ) as ws:
            accepted = True
            ws.close()
    except WebSocketDisconnect as e:  # the stream's own reaction to the close
        assert e.code != 1008
    assert accepted
