"""Time limits on the connection itself: a client that sends its headers slowly is cut off.

uvicorn closes idle keep-alive connections, but once the first byte of a
request has arrived it waits for the rest of the headers for ever, so a few
hundred clients that send one header byte a minute hold the server's
connections (slowloris). This protocol class starts a timer when a
connection opens and after each response; when the headers of the next
request are not complete in ``HEADER_TIMEOUT`` seconds, it answers 408 and
closes. The body has its own limit in api/http/limits.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from yhdyspinta.settings import Settings

#: seconds a client has to send the request line and all headers (YHDYSPINTA_REQUEST_TIMEOUT)
HEADER_TIMEOUT = Settings.from_env().request_timeout

_MESSAGE = b"the request headers did not arrive in time\n"
_REQUEST_TIMEOUT = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                    b"connection: close\r\ncontent-length: " + str(len(_MESSAGE)).encode() + b"\r\n\r\n" + _MESSAGE)


class HeaderTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline for every request's headers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._waiting_after: object = None  # the cycle before the request we are waiting for

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._waiting_after = self.cycle
        self._header_timer = self.loop.call_later(HEADER_TIMEOUT, self._expired)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._header_timer is not None and self.cycle is not self._waiting_after:
            self._disarm()  # the headers of a new request are complete: uvicorn started its cycle

    def on_response_complete(self) -> None:
        self._arm()  # before the parent, which may start a pipelined request at once
        super().on_response_complete()
        if self.transport.is_closing():
            self._disarm()

    def _expired(self) -> None:
        self._header_timer = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.write(_REQUEST_TIMEOUT)
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
