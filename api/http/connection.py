"""Time limits on the connection itself: a client that sends its headers slowly is cut off.

uvicorn closes idle keep-alive connections, but once the first byte of a
request has arrived it waits for the rest of the headers for ever, so a few
hundred clients that send one header byte a minute hold the server's
connections (slowloris). This protocol class starts a timer when a
connection opens and after each response; when the headers of the next
request are not complete in ``HEADER_TIMEOUT`` seconds, it answers 408 and
closes. The body has its own limit in api/http/limits.py.

The deadline is a mixin over uvicorn's two HTTP/1.1 protocols: ``HeaderTimeout`` is the one on
httptools (a C parser: about 0.4 ms less per request than h11's pure Python, bench/sparql_endpoint.py
``lookup``) when it is installed, else the one on h11.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # the C parser, when installed (pyproject: a dependency; a missing wheel falls back to h11)
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools not installed
    HttpToolsProtocol = None  # type: ignore[assignment, misc]

from yhdyspinta.settings import Settings

#: seconds a client has to send the request line and all headers (YHDYSPINTA_REQUEST_TIMEOUT)
HEADER_TIMEOUT = Settings.from_env().request_timeout

_MESSAGE = b"the request headers did not arrive in time\n"
_REQUEST_TIMEOUT = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                    b"connection: close\r\ncontent-length: " + str(len(_MESSAGE)).encode() + b"\r\n\r\n" + _MESSAGE)


class _HeaderDeadline:
    """The deadline, over a uvicorn protocol that starts a new ``cycle`` once a request's headers are in."""

    cycle: Any
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._waiting_after: object = None  # the cycle before the request we are waiting for

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)  # type: ignore[misc]
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
        super().data_received(data)  # type: ignore[misc]
        if self._header_timer is not None and self.cycle is not self._waiting_after:
            self._disarm()  # the headers of a new request are complete: uvicorn started its cycle

    def on_response_complete(self) -> None:
        self._arm()  # before the parent, which may start a pipelined request at once
        super().on_response_complete()  # type: ignore[misc]
        if self.transport.is_closing():
            self._disarm()

    def _expired(self) -> None:
        self._header_timer = None
        busy = self.cycle is not None and not self.cycle.response_complete  # a request is being answered
        if self.cycle is self._waiting_after and not busy and not self.transport.is_closing():
            self.transport.write(_REQUEST_TIMEOUT)
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


class HeaderTimeoutH11(_HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol with a deadline for every request's headers."""


if HttpToolsProtocol is not None:
    class HeaderTimeoutHttpTools(_HeaderDeadline, HttpToolsProtocol):
        """uvicorn's httptools protocol with a deadline for every request's headers."""

    #: the protocol ``serve`` runs: httptools' when installed
    HeaderTimeout: type[H11Protocol | HttpToolsProtocol] = HeaderTimeoutHttpTools
else:  # pragma: no cover
    HeaderTimeout = HeaderTimeoutH11
