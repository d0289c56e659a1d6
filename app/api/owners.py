"""Owner keys for a shared (hosted) server: who a request acts for.

In shared mode every client holds an anonymous owner key: a random secret that the
server hands out in an HttpOnly, SameSite=Strict cookie on the first response to a
client without one. Scripts may send it as the `X-Explorer-Owner` header instead. The
store never sees the key itself, only its SHA-256 (so a copy of the database cannot act
as anyone). In the local mode there is no key and no owner: one user owns everything.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from http.cookies import SimpleCookie

from starlette.responses import JSONResponse

COOKIE = "explorer_owner"
HEADER = "x-explorer-owner"
_KEY = re.compile(r"[A-Za-z0-9_-]{32,128}")
_YEAR = 365 * 24 * 3600


def owner_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _from_scope(scope) -> tuple[str | None, str | None]:
    """(key from the header, key from the cookie), either possibly None."""
    header = cookie = None
    for name, value in scope.get("headers", ()):
        if name == HEADER.encode():
            header = value.decode("latin-1").strip()
        elif name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is no key, not an error
                continue
            if COOKIE in jar:
                cookie = jar[COOKIE].value
    return header, cookie


def _set_cookie(key: str, https: bool) -> bytes:
    secure = "; Secure" if https else ""
    return (f"{COOKIE}={key}; Path=/; Max-Age={_YEAR}; HttpOnly; SameSite=Strict{secure}").encode()


class OwnerKeys:
    """ASGI middleware: puts the owner (hash of the key) in scope["state"]["owner"], and
    issues a key in a cookie to an HTTP client that came without one."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        header, cookie = _from_scope(scope)
        if header is not None and not _KEY.fullmatch(header):
            message = "must be the owner key this server gave out (32-128 of A-Z a-z 0-9 _ -)"
            if scope["type"] == "http":
                response = JSONResponse(
                    {
                        "detail": f"X-Explorer-Owner: {message}",
                        "errors": [{"field": "X-Explorer-Owner", "message": message}],
                        "code": "validation_error",
                    },
                    status_code=422,
                )
                return await response(scope, receive, send)
            header = None
        key = header or (cookie if cookie and _KEY.fullmatch(cookie) else None)
        fresh = key is None
        if key is None:
            key = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["owner"] = owner_id(key)
        if not fresh or scope["type"] != "http":
            return await self.app(scope, receive, send)
        https = scope.get("scheme") == "https"

        async def send_with_key(message):
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"set-cookie", _set_cookie(key, https))]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_key)
