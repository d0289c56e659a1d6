"""Who may talk to the server, and how much they may send: one pure ASGI middleware.

- Host: only the names the server was started for (DNS rebinding: a page whose name
  now resolves to 127.0.0.1 sends its own name as Host, and is refused).
- Origin: a state-changing request from a browser page of another origin is refused
  (CSRF); requests without Origin (curl, scripts) are not browsers' cross-site requests.
- Body: JSON only on the API (415), at most `max_body_bytes` (413 from Content-Length
  before reading anything, or as soon as a chunked body passes the limit), and within
  `body_timeout` seconds (408), so a slow client cannot hold a request open.
- Every answer carries the security headers (CSP, nosniff, Referrer-Policy).

Pure ASGI rather than BaseHTTPMiddleware: it adds a few microseconds, not a task per request.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings

from .errors import problem_body
from .json_body import replaying

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WITH_BODY = frozenset({"POST", "PUT", "PATCH"})

# Scripts only from this server and no inline script; styles may be inline because KaTeX
# and the DOM morph set style attributes on equation nodes, Swagger UI and ReDoc inject
# <style> (styles cannot run code). ReDoc renders in a blob: worker.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


def split_host(host: str) -> tuple[str, str | None]:
    """'Example.org:8000' -> ('example.org', '8000'); '[::1]' -> ('[::1]', None)."""
    host = host.strip().lower()
    if host.startswith("[") and "]" in host:
        end = host.index("]") + 1
        rest = host[end:]
        return host[:end], (rest[1:] if rest.startswith(":") else None)
    if host.count(":") == 1:
        name, port = host.split(":")
        return name, port
    return host, None


def _port(port, scheme: str) -> str:
    return str(port) if port else ("443" if scheme == "https" else "80")


def same_origin(origin: str, host: str, scheme: str) -> bool:
    """The Origin header names this very server: same name and port as the Host header."""
    try:
        parts = urlsplit(origin)
        origin_name, origin_port = parts.hostname, _port(parts.port, parts.scheme)
    except ValueError:  # a malformed port
        return False
    name, port = split_host(host)
    return origin_name == name.strip("[]") and origin_port == _port(port, scheme)


async def _send_problem(
    send: Send, status: int, field: str, message: str, code: str, close: bool = False
) -> None:
    body = json.dumps(problem_body([{"field": field, "message": message}], code)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:  # the rest of the body is never read: the connection cannot be reused
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guards:
    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.allowed = frozenset(h.lower() for h in settings.allowed_hosts)
        self.max_body = settings.max_body_bytes
        self.body_timeout = settings.body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS]
            await send(message)

        host = origin = length = ctype = None
        for name, value in scope["headers"]:
            if name == b"host":
                host = value.decode("latin-1")
            elif name == b"origin":
                origin = value.decode("latin-1")
            elif name == b"content-length":
                length = value
            elif name == b"content-type":
                ctype = value.decode("latin-1")
        if not self._host_ok(host, scope):
            shown = (host or "")[:100]
            message = f"{shown!r} is not a name this server answers to; start it with "
            message += "--allow-host NAME (or EXPLORER_ALLOWED_HOSTS) to add one"
            await _send_problem(secured, 400, "Host", message, "host_not_allowed")
            return
        method = scope["method"]
        if (
            origin is not None
            and method in UNSAFE
            and not same_origin(origin, host or "", scope.get("scheme", "http"))
        ):
            message = f"{origin[:100]!r} is another site; this API takes changes from its "
            message += "own pages or from clients that send no Origin"
            await _send_problem(secured, 403, "Origin", message, "foreign_origin")
            return
        if method in WITH_BODY and scope["path"].startswith("/api/"):
            refusal = self._body_refusal(length, ctype)
            if refusal is not None:
                await _send_problem(secured, *refusal, close=True)
                return
            from_memory = await self._read_body(receive, secured)
            if from_memory is None:
                return
            receive = from_memory
        await self.app(scope, receive, secured)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A WebSocket is refused the same way: browsers send Origin on every handshake, so
        another site's page cannot open the live stream (cross-site WebSocket hijacking)."""
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1") or None
        origin = headers.get(b"origin")
        ok = self._host_ok(host, scope) and (
            origin is None
            or same_origin(origin.decode("latin-1"), host or "", "http")
            or same_origin(origin.decode("latin-1"), host or "", "https")
        )
        if ok:
            await self.app(scope, receive, send)
            return
        message = await receive()  # websocket.connect, then refuse before accepting
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.close", "code": 1008, "reason": "host or origin"})

    def _host_ok(self, host: str | None, scope: Scope) -> bool:
        if host is None:
            return False
        name, _ = split_host(host)
        if name in self.allowed:
            return True
        # Starlette's TestClient (FastAPI's documented testing pattern) sends "testserver"
        # from the client "testclient"; a server fills the client from the socket, so no
        # browser or peer can claim it.
        client = scope.get("client")
        return name == "testserver" and client is not None and client[0] == "testclient"

    def _body_refusal(
        self, length: bytes | None, ctype: str | None
    ) -> tuple[int, str, str, str] | None:
        if ctype is not None:
            media = ctype.split(";", 1)[0].strip().lower()
            if media != "application/json" and not media.endswith("+json"):
                message = f"is {media[:100]!r}; send application/json"
                return 415, "Content-Type", message, "unsupported_media_type"
        if length is not None:
            try:
                n = int(length)
            except ValueError:
                return 400, "Content-Length", "is not a number", "malformed_body"
            if n > self.max_body:
                message = f"is {n} bytes, over the limit of {self.max_body}"
                return 413, "body", message, "body_too_large"
        return None

    async def _read_body(self, receive: Receive, send: Send) -> Receive | None:
        """The whole body, read here within the limits; the app then reads it from memory."""
        chunks, size = [], 0
        try:
            async with asyncio.timeout(self.body_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return None
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_body:
                        why = f"is over the limit of {self.max_body} bytes"
                        await _send_problem(send, 413, "body", why, "body_too_large", True)
                        return None
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            why = f"did not arrive within {self.body_timeout} s"
            await _send_problem(send, 408, "body", why, "request_timeout", close=True)
            return None
        return replaying(b"".join(chunks), receive)
