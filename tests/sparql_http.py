"""A small SPARQL endpoint in a thread, for stores that answer in other formats than JSON (helper module).

It keeps its data in a pyoxigraph store (default graph not the union, like a plain Oxigraph
server) and answers every SELECT and ASK in one results format whatever the client asks
(XML, TSV or CSV: a "store that prefers XML"), CONSTRUCT and DESCRIBE in RDF/XML. POST
``/update`` runs SPARQL Update. ``status`` makes every request fail with that status and an
HTML page, as a misconfigured server would. ``max_rows`` cuts answers as Virtuoso does with its
ResultSetMaxRows: the first rows (or triples), in SPARQL JSON, with ``X-SPARQL-MaxRows`` (not
for SELECT when ``silent``).
``auth=("basic" | "digest", user, password)`` answers 401 with that challenge to a request
without the right credentials (Digest as RFC 7616 with MD5 and qop=auth, Virtuoso's kind).
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

__all__ = ["running_sparql_http"]

FORMATS = {"xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
           "tsv": ("text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
           "csv": ("text/csv; charset=utf-8", ox.QueryResultsFormat.CSV)}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *_args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._answer(parse_qs(urlsplit(self.path).query), None)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode("utf-8")
        kind = (self.headers.get("content-type") or "").split(";")[0]
        fields = parse_qs(urlsplit(self.path).query)
        if kind == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body, keep_blank_values=True).items():
                fields.setdefault(key, []).extend(values)
            body = None
        self._answer(fields, body)

    def _send(self, status: int, content_type: str, data: bytes, extra: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self) -> bool:
        if self.server.auth is None:
            return True
        scheme, user, password = self.server.auth
        given = self.headers.get("Authorization") or ""
        if scheme == "basic":
            return given == "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', given.removeprefix("Digest ")))
        if not given.startswith("Digest ") or fields.get("username") != user or fields.get("nonce") != NONCE:
            return False
        ha1 = _md5(f"{user}:{REALM}:{password}")
        ha2 = _md5(f"{self.command}:{fields.get('uri')}")
        expected = _md5(f"{ha1}:{NONCE}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        return fields.get("response") == expected

    def _answer(self, fields: dict, body: str | None) -> None:
        if not self._authorized():
            challenge = (f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5'
                         if self.server.auth and self.server.auth[0] == "digest" else f'Basic realm="{REALM}"')
            return self._send(401, "text/plain", b"Unauthorized: give credentials", {"WWW-Authenticate": challenge})
        store, media, results_format = self.server.store, *FORMATS[self.server.prefers]
        if self.server.status:
            page = b"<html><head><title>Oops</title></head><body><h1>Service down</h1>\n<p>try later</p></body></html>"
            return self._send(self.server.status, "text/html", page)
        try:
            if urlsplit(self.path).path.endswith("/update"):
                store.update(body if body is not None else fields["update"][0])
                return self._send(204, "text/plain", b"")
            text = body if body is not None else fields["query"][0]
            dataset = {}
            if "default-graph-uri" in fields or "named-graph-uri" in fields:
                dataset = {"default_graph": [ox.NamedNode(g) for g in fields.get("default-graph-uri", [])],
                           "named_graphs": [ox.NamedNode(g) for g in fields.get("named-graph-uri", [])]}
            result = store.query(text, **dataset)
        except (SyntaxError, ValueError, KeyError) as err:
            return self._send(400, "text/plain", f"bad request:\n{err}".encode())
        cap = self.server.max_rows
        if isinstance(result, ox.QueryTriples):
            triples = list(result)
            extra = {"X-SPARQL-MaxRows": str(cap)} if cap is not None and len(triples) > cap else {}
            data = ox.serialize(triples[:cap], format=ox.RdfFormat.RDF_XML)
            return self._send(200, "application/rdf+xml", data or b"", extra)
        if cap is not None and isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = list(result)
            extra = {"X-SPARQL-MaxRows": str(cap)} if len(rows) > cap and not self.server.silent else {}
            bindings = [{name: _json_term(term) for name, term in zip(variables, row) if term is not None}
                        for row in rows[:cap]]
            data = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode()
            return self._send(200, "application/sparql-results+json", data, extra)
        return self._send(200, media, result.serialize(format=results_format))


REALM, NONCE = "conflictgraph-tests", "5f1d3a0c9e"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


class _Server(ThreadingHTTPServer):
    store: ox.Store
    prefers: str
    status: int | None
    max_rows: int | None
    auth: tuple[str, str, str] | None
    silent: bool


@contextlib.contextmanager
def running_sparql_http(prefers: str = "xml", *, status: int | None = None, max_rows: int | None = None,
                        silent: bool = False, auth: tuple[str, str, str] | None = None) -> Iterator[str]:
    """Serve a fresh in-memory store on a free loopback port; yield the query URL (``.../query``)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.store, server.prefers, server.status, server.max_rows = ox.Store(), prefers, status, max_rows
    server.auth, server.silent = auth, silent
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()
