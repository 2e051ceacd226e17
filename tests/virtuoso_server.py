"""Start Debian's Virtuoso (package virtuoso-opensource) for the tests (helper module).

The server runs with the package's own configuration (/etc/virtuoso-opensource-7/virtuoso.ini,
so ResultSetMaxRows = 10000 and the rest of Debian's defaults) apart from its two ports and its
database files, which go to a fresh temporary folder. An update user is made with the one grant
it needs (SPARQL_UPDATE) and writes through /sparql-auth, which asks for HTTP Digest; reads go
to /sparql without a login, as a team's readers would; the Graph Store Protocol endpoint
/sparql-graph-crud-auth takes the same login.

Without the binary the tests are skipped, unless CONFLICTGRAPH_REQUIRE_VIRTUOSO is set (CI
sets it): then they fail.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from oxigraph_server import free_port, stop_process, wait_for_http

__all__ = ["VirtuosoServer", "running_virtuoso", "virtuoso_binary"]

BINARY = "virtuoso-t"
ISQL = "isql-vt"
DEBIAN_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
DEBIAN_DB = "/var/lib/virtuoso-opensource-7/db"
USER, PASSWORD = "conflictgraph", "test-only-password"


@dataclass(frozen=True)
class VirtuosoServer:
    """A running Virtuoso: its read endpoint, update endpoint, Graph Store Protocol endpoint
    (both behind the same Digest login) and update login."""

    query: str
    update: str
    gsp: str
    user: str = USER
    password: str = PASSWORD

    def cli_options(self) -> list[str]:
        """The options a command needs to read from and write to this server (large changes
        go to staging graphs through the Graph Store Protocol)."""
        return ["--endpoint", self.query, "--update-endpoint", self.update, "--gsp-endpoint", self.gsp,
                "--endpoint-user", self.user, "--endpoint-password", self.password]


def virtuoso_binary() -> str | None:
    """The Virtuoso server executable, if installed (and its configuration with it)."""
    found = shutil.which(BINARY)
    return found if found and shutil.which(ISQL) and DEBIAN_INI.is_file() else None


def _skip_or_fail() -> None:
    import pytest

    if os.environ.get("CONFLICTGRAPH_REQUIRE_VIRTUOSO"):
        pytest.fail(f"{BINARY} (apt-get install virtuoso-opensource) is missing and "
                    "CONFLICTGRAPH_REQUIRE_VIRTUOSO is set")
    pytest.skip(f"{BINARY} is not installed (apt-get install virtuoso-opensource)")


def _configuration(folder: Path, sql_port: int, http_port: int) -> Path:
    """Debian's virtuoso.ini with the database in ``folder`` and the two ports changed."""
    text = DEBIAN_INI.read_text(encoding="utf-8").replace(DEBIAN_DB, str(folder))
    text, sql = re.subn(r"(?m)^(ServerPort\s*=\s*)1111\b", rf"\g<1>{sql_port}", text)
    text, http = re.subn(r"(?m)^(ServerPort\s*=\s*)8890\b", rf"\g<1>{http_port}", text)
    assert sql == 1 and http == 1, "Debian's virtuoso.ini no longer names ports 1111 and 8890"
    path = folder / "virtuoso.ini"
    path.write_text(text, encoding="utf-8")
    return path


@contextlib.contextmanager
def running_virtuoso(folder: Path) -> Iterator[VirtuosoServer]:
    """Run Virtuoso on a fresh database in ``folder`` on loopback ports; yield its endpoints."""
    binary = virtuoso_binary()
    if binary is None:
        _skip_or_fail()
    assert binary is not None
    sql_port, http_port = free_port(), free_port()
    ini = _configuration(folder, sql_port, http_port)
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for_http(base + "/sparql?query=ASK%7B%7D", process, seconds=120)
        # a fresh database's administrator is dba/dba; the update user gets SPARQL_UPDATE only
        grant = f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\";"
        subprocess.run([ISQL, str(sql_port), "dba", "dba", f"exec={grant}"], check=True, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        yield VirtuosoServer(query=base + "/sparql", update=base + "/sparql-auth", gsp=base + "/sparql-graph-crud-auth")
    finally:
        stop_process(process)
