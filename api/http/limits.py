"""A cap on request bodies, in size and in time, as plain ASGI middleware.

An oversized upload is refused with 413 before the app reads it (by its
Content-Length), or as soon as a chunked body passes the cap; a body that
stops arriving for ``idle_seconds`` (or takes longer than ``total_seconds``
in all) is refused with 408, so a slow client cannot hold a request open.
The server goes on answering others.
"""

from __future__ import annotations

import asyncio
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


class BodyLimit:
    def __init__(self, app: Any, *, max_bytes: int, idle_seconds: float = 10.0, total_seconds: float = 120.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.idle_seconds = idle_seconds
        self.total_seconds = total_seconds

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False
        complete = False
        deadline = asyncio.get_running_loop().time() + self.total_seconds

        async def limited_receive() -> Message:
            nonlocal seen, complete
            if complete:  # after the body only a disconnect can come: no time limit
                return await receive()
            left = min(self.idle_seconds, deadline - asyncio.get_running_loop().time())
            try:
                message: Message = await asyncio.wait_for(receive(), max(left, 0.0))
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
                complete = not message.get("more_body", False)
            else:
                complete = True
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)
        except BodyTooSlow:
            if not started:
                await self._answer(send, 408, (f"the request body stopped arriving (more than {self.idle_seconds:g} s "
                                               f"without data, or {self.total_seconds:g} s in all); send it at once\n"))

    async def _refuse(self, send: Any) -> None:
        await self._answer(send, 413, (f"the request body is larger than the server accepts "
                                       f"({self.max_bytes // (1024 * 1024)} MiB); split the upload or raise "
                                       "YHDYSPINTA_MAX_UPLOAD_MB\n"))

    async def _answer(self, send: Any, status: int, text: str) -> None:
        body = text.encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
