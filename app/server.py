"""How uvicorn serves the app: the same for `python -m app`, the tests and the benches.

uvicorn closes an idle keep-alive connection, but a client that sends half a request
head and stops holds its connection forever. HeadTimeoutProtocol closes a connection
whose request head has not arrived `header_timeout` seconds after the connection opened
(or after the previous answer); the body has its own deadline in app.api.guards.

A public deployment still belongs behind a reverse proxy (TLS, connection limits, rate
limits): this is a teaching tool's server, hardened for a laptop and a LAN.
"""

from __future__ import annotations

import asyncio
import ipaddress

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.config import Settings


class HeadTimeoutProtocol(H11Protocol):
    header_timeout = 10.0  # set per server by server_config

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._head_timer is not None and self.cycle is not self._waiting_after:
            self._head_timer.cancel()  # a new request's head arrived: the app has it now
            self._head_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._waiting_after = self.cycle  # the head we wait for makes a new cycle
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_expired)

    def _head_expired(self) -> None:
        self._head_timer = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.close()


def protocol_for(settings: Settings) -> type[H11Protocol]:
    return type(
        "HeadTimeoutProtocol", (HeadTimeoutProtocol,), {"header_timeout": settings.header_timeout}
    )


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_config(app, settings: Settings, **kwargs) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http=protocol_for(settings),
        timeout_keep_alive=5,
        **kwargs,
    )
