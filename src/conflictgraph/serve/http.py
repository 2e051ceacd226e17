"""The server's HTTP/1.1 connections: uvicorn's h11 protocol with limits on the request head.

- A client gets ``header_timeout`` seconds to send a request's line and headers, from the moment
  it connects or starts the next request on a kept-alive connection; one that is slower (a
  slow-header attack holding connections open) gets 408 and is disconnected.
- A request line longer than ``max_line`` bytes gets 414, headers over ``max_headers`` bytes
  431, instead of a reset: the rest of the head is read and dropped (up to a bound), so the
  client, still sending, can read the answer.

Examples
--------
>>> head = _Head(max_line=20, max_headers=30)
>>> head.feed(b"GET /x HTTP/1.1\\r\\nHost: a\\r\\n"), head.feed(b"\\r\\n"), head.done
(None, None, True)
>>> bare = _Head(max_line=20, max_headers=30)
>>> bare.feed(b"GET /x HTTP/1.1\\nHost: a\\n\\n"), bare.done
(None, True)
>>> _Head(max_line=20, max_headers=30).feed(b"GET /" + b"x" * 30)
414
>>> _Head(max_line=20, max_headers=30).feed(b"GET / HTTP/1.1\\r\\nX: " + b"y" * 40)
431
"""
from __future__ import annotations

import asyncio
import re
from http import HTTPStatus

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["LimitedH11Protocol"]

_BLANK_LINE = re.compile(rb"\r?\n\r?\n")  # the end of a head
_DRAIN_LIMIT = 16 << 20  # bytes of an oversized head read and dropped before the connection closes


class _Head:
    """The request head as it arrives: whether it is complete, or which limit it passed."""

    def __init__(self, *, max_line: int, max_headers: int):
        self.max_line, self.max_headers = max_line, max_headers
        self.data = bytearray()
        self.done = False

    def feed(self, data: bytes) -> int | None:
        """Take the next bytes; 414 or 431 when the line or the headers are too long, else None.
        Lines may end in CRLF or, as h11 also accepts, a bare LF."""
        start = max(0, len(self.data) - 3)
        self.data += data
        blank = _BLANK_LINE.search(self.data, start)
        end = blank.start() if blank else -1
        line = self.data.find(b"\n", 0, self.max_line + 2)
        if line < 0:  # the request line is still arriving, or too long
            return 414 if len(self.data) > self.max_line or end >= 0 else None
        headers = (end if end >= 0 else len(self.data)) - line
        if headers > self.max_headers:
            return 431
        if end >= 0:
            self.done = True
            self.data = bytearray()
        return None


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a time limit on request heads and 414/431 for oversized ones
    (the limits are class attributes: see :func:`limited_protocol`)."""

    header_timeout = 5.0
    max_line = 1 << 20
    max_headers = 64 << 10

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._head: _Head | None = None
        self._head_timer: asyncio.TimerHandle | None = None
        self._draining: int | None = None  # bytes still to drop after an oversized head
        self._expect_head()

    def _expect_head(self) -> None:
        """Start timing a new request head."""
        self._head = _Head(max_line=self.max_line, max_headers=self.max_headers)
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _head_received(self) -> None:
        self._head = None
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def data_received(self, data: bytes) -> None:
        if self._draining is not None:
            self._drain(data)
            return
        if self._head is None and self.conn.their_state is h11.IDLE:
            self._expect_head()  # the next request on a kept-alive connection
        if self._head is not None:
            refused = self._head.feed(data)
            if refused:
                self._refuse(refused)
                return
            if self._head.done:
                self._head_received()
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_received()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._head_timer = None
        if self._head is not None and not self.transport.is_closing():
            self._answer(408, f"the request's headers did not arrive within {self.header_timeout:g} s")
            self.transport.close()

    def _refuse(self, status: int) -> None:
        """Answer 414 or 431, then drop what the client still sends, and close."""
        assert self._head is not None
        head_sent = b"\r\n\r\n" in self._head.data
        self._head_received()
        what = ("the request line is longer than the limit of {} bytes: send a long query with POST"
                if status == 414 else "the request's headers are larger than the limit of {} bytes")
        self._answer(status, what.format(self.max_line if status == 414 else self.max_headers))
        if head_sent:
            self.transport.close()
            return
        self._draining, self._tail = _DRAIN_LIMIT, b""
        self.loop.call_later(self.header_timeout, self.transport.close)

    def _drain(self, data: bytes) -> None:
        """Drop the rest of an oversized head; close once it is all read (closing with bytes
        unread would reset the connection, and the client would not see the answer)."""
        assert self._draining is not None
        self._draining -= len(data)
        seen, self._tail = self._tail + data, data[-3:]
        if self._draining <= 0 or b"\r\n\r\n" in seen:
            self.transport.close()

    def _answer(self, status: int, message: str) -> None:
        """Write a plain-text answer that closes the connection, outside h11's request cycle."""
        body = (message + "\n").encode()
        self.transport.write(
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: text/plain; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode() + body)


def limited_protocol(*, header_timeout: float, max_line: int, max_headers: int) -> type[LimitedH11Protocol]:
    """:class:`LimitedH11Protocol` with these limits (uvicorn makes one per connection)."""
    return type("LimitedH11Protocol", (LimitedH11Protocol,),
                {"header_timeout": header_timeout, "max_line": max_line, "max_headers": max_headers})
