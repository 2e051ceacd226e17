"""Answering a remote store's login challenge: HTTP Digest when it asks for Digest, else Basic,
with credentials from :mod:`conflictgraph.store.credentials`. Apart from them because it needs
httpx, which only a remote store's connection imports (0.12-0.35 s of every command's start else,
by python -X importtime on a busy machine).

Examples
--------
>>> ServerAuth("ana", "s3cret")
ServerAuth(***)
"""
from __future__ import annotations

from collections.abc import Generator

import httpx

__all__ = ["ServerAuth"]


class ServerAuth(httpx.Auth):
    """Answer the server's challenge: Digest when it asks for Digest, else Basic. Each request
    is first sent as it is; after the first challenge the chosen scheme is used from the start
    (Digest reuses the server's nonce, Basic sends its header)."""

    def __init__(self, user: str, password: str):
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._chosen: httpx.Auth | None = None

    def __repr__(self) -> str:
        return "ServerAuth(***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").strip().lower()
        self._chosen = self._digest if challenge.startswith("digest") else self._basic
        yield from self._chosen.auth_flow(request)
