"""Credentials for a remote store (:mod:`conflictgraph.store.http_auth` answers the server's
Basic or Digest challenge with them).

They come from the options (``--endpoint-user``, ``--endpoint-password``), the environment
(``CONFLICTGRAPH_ENDPOINT_USER``, ``CONFLICTGRAPH_ENDPOINT_PASSWORD``), a ``user:password@`` in
the URL, or ``~/.netrc`` (looked up by host), in that order. A password is never part of a
message: URLs are kept without their user part, and :func:`redact` hides one in any text.

Examples
--------
>>> split_credentials("http://ana:s3cret@db.example:8890/sparql")
('http://db.example:8890/sparql', 'ana', 's3cret')
>>> redact("cannot reach http://ana:s3cret@db.example/sparql")
'cannot reach http://ana:***@db.example/sparql'
"""
from __future__ import annotations

import netrc
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["netrc_credentials", "redact", "split_credentials"]

_PASSWORD_IN_URL = re.compile(r"(//[^/@:\s]*):[^/@\s]*@")


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``url`` without its ``user:password@`` part, and the user and password it named."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return urlunsplit(parts._replace(netloc=netloc)), user, password


def redact(text: str) -> str:
    """``text`` with the password of any URL in it replaced by ``***``."""
    return _PASSWORD_IN_URL.sub(r"\1:***@", text)


def netrc_credentials(url: str, path: Path | None = None) -> tuple[str, str] | None:
    """(login, password) for the host of ``url`` in ``path`` (default ``~/.netrc``), if any."""
    path = path or Path.home() / ".netrc"
    if not path.is_file():
        return None
    try:
        found = netrc.netrc(str(path)).authenticators(urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError):
        return None
    if not found or found[2] is None:
        return None
    return found[0] or "", found[2]
