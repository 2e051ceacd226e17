"""The web application: a read-only SPARQL 1.1 Protocol endpoint and pages to work in.

Routes
------
- ``/sparql``: the endpoint (GET ``?query=``, POST form-encoded, POST ``application/sparql-query``),
  with the Protocol's ``default-graph-uri`` / ``named-graph-uri``; without a query, the service
  description. The default graph is the union of all named graphs unless the request or the
  query's FROM clauses name a dataset.
- ``/``: the query page; ``/static/*`` its script and style (nothing from any CDN).
- ``/api/queries``: the named queries with their parameters; ``/api/named``: run one by name.
- ``/entity?iri=``: what ``conflictgraph show`` shows about an entity; by content negotiation
  (``Accept``, or ``format=ttl|nt|jsonld``) its triples as Turtle, N-Triples or JSON-LD;
  ``/api/entity`` the page's content as JSON.
- ``/network``: the network page of the curated graph (``conflictgraph viz``).
- ``/ontology``: the vocabulary's documentation (:mod:`conflictgraph.render.vocabulary`);
  ``/ontology/context.jsonld`` its JSON-LD context.

Every query is parsed first (:func:`conflictgraph.rdf.safety.check_query`, in the worker, before
the engine sees it): updates get 403, SERVICE and LOAD 400, an empty query 400, before anything
runs. Relative IRIs resolve against the endpoint's URL. A body over ``max_request_bytes`` gets
413, a query string over it 414 (request heads that are too slow or too large are answered
before this application sees them: :mod:`conflictgraph.serve.http`). Queries then run in the
worker pool (:mod:`conflictgraph.serve.pool`) with a time limit (504 when it is passed, 503
when too many queries kept running that long) and a row limit (the first rows, read no further);
the worker writes the answer in the negotiated format. An answer that fits in one piece
(:data:`conflictgraph.serve.worker.PIECE`) is sent whole, with ``X-SPARQL-Truncated: true`` when
it was cut; a longer one is sent in pieces as the worker writes them (:class:`_InPieces`), and
was cut when it holds ``X-SPARQL-Max-Rows`` rows.
``ERROR_STATUS`` holds the status of each error a request can meet.

The handlers are module functions; :func:`create_app` puts what they share (the settings, the
worker pool, the network page of the current store generation) in ``app.state``.

Examples
--------
>>> config = ServeConfig(store="store", max_rows=10)
>>> config.timeout, config.workers >= 1
(30.0, True)
"""
from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from conflictgraph.errors import ConflictGraphError, QueryError, QueryRefused, StoreMissing, UpdateRefused, UsageError
from conflictgraph.rdf.namespaces import PREFIXES, SPARQL_PREFIXES
from conflictgraph.rdf.sparql_text import tokens
from conflictgraph.render.jsonld import context as jsonld_context
from conflictgraph.render.vocabulary import VOCABULARY_CSP
from conflictgraph.serve import pages
from conflictgraph.serve.formats import NotAcceptable, negotiate, wants_rdf
from conflictgraph.store.base import Dataset
from conflictgraph.store.remote import Endpoint
from conflictgraph.serve.pool import EntityNotFound, PoolBusy, QueryTimeout, WorkerFailed, WorkerPool

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["ServeConfig", "create_app", "ERROR_STATUS", "error_status"]

STATIC = Path(__file__).parent / "static"


@dataclass
class ServeConfig:
    """Settings of one server (from the ``serve`` command's options); ``store`` is an on-disk
    store path or a remote store's :class:`~conflictgraph.store.remote.Endpoint`."""

    store: str | Path | Endpoint
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = field(default_factory=lambda: max(2, min(4, os.cpu_count() or 2)))
    max_request_bytes: int = 1 << 20
    header_timeout: float = 5.0
    cors: tuple[str, ...] = ()
    network_timeout: float = 120.0


class _TooLarge(ConflictGraphError):
    """A request body over the server's ``max_request_bytes``."""

    def __init__(self, limit: int):
        super().__init__(f"the request is larger than the limit of {limit} bytes")


class _UriTooLong(_TooLarge):
    """A query string over the server's ``max_request_bytes`` (a GET too big: POST it instead)."""

    def __init__(self, limit: int):
        ConflictGraphError.__init__(self, f"the query string is longer than the limit of {limit} bytes: "
                                          "send a long query with POST")


# The HTTP status of each error a request can meet; any other ConflictGraphError is 500.
ERROR_STATUS: dict[type[ConflictGraphError], int] = {
    QueryTimeout: 504,
    PoolBusy: 503,
    WorkerFailed: 503,
    StoreMissing: 503,
    NotAcceptable: 406,
    _UriTooLong: 414,
    _TooLarge: 413,
    QueryError: 400,
    UsageError: 400,
    UpdateRefused: 403,
    QueryRefused: 400,
}

_SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
_PROLOGUE_LINES = SPARQL_PREFIXES.count("\n")
# The network page inlines its own scripts and styles; it may load nothing from elsewhere.
_NETWORK_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                "font-src data:; base-uri 'none'; form-action 'none'")
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def error_status(err: ConflictGraphError) -> int:
    """The HTTP status of ``err``: that of its most specific class in ``ERROR_STATUS``, else 500.

    >>> error_status(PoolBusy("no worker is free")), error_status(ConflictGraphError("?"))
    (503, 500)
    """
    for cls in type(err).__mro__:
        if cls in ERROR_STATUS:
            return ERROR_STATUS[cls]
    return 500


def _fetches(text: str) -> bool:
    """Whether the update ``text`` has a LOAD operation (it would fetch a URL).

    >>> _fetches("LOAD <http://ex/data.ttl>"), _fetches('INSERT DATA { <urn:a> <urn:b> "LOAD" }')
    (True, False)
    """
    return any(kind == "word" and depth == 0 and value.upper() == "LOAD" for kind, value, _start, depth in tokens(text))


# Responses ---------------------------------------------------------------------------------

def _headers(extra: dict | None = None) -> dict:
    """The security headers every answer carries, with ``extra``."""
    return {**_SECURITY_HEADERS, **(extra or {})}


def _html(body: str, status: int = 200, csp: str = pages.PAGE_CSP) -> HTMLResponse:
    return HTMLResponse(body, status, headers=_headers({"Content-Security-Policy": csp}))


def _error(status: int, message: str, extra: dict | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status, headers=_headers(extra))


def _failure(err: ConflictGraphError, status: int | None = None) -> PlainTextResponse:
    """The plain-text answer to ``err``, with its status unless ``status`` is given."""
    extra = {"Retry-After": "5"} if isinstance(err, PoolBusy) else None
    return _error(status or error_status(err), str(err), extra)


def _error_page(err: ConflictGraphError, status: int) -> HTMLResponse:
    return _html(pages.error_page(status, str(err)), status)


def _entity_status(err: ConflictGraphError) -> int:
    """An entity that names nothing is 404 (a named query's unknown parameter stays 400)."""
    return 404 if isinstance(err, EntityNotFound) else error_status(err)


# Reading requests --------------------------------------------------------------------------

async def _read_body(request: Request, limit: int) -> bytes:
    """The request body; :class:`_TooLarge` as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _TooLarge(limit)
    return bytes(body)


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError(f"the {what} is not UTF-8") from None


def _form_pairs(text: str, what: str) -> list[tuple[str, str]]:
    """The fields of a query string or form body; percent-encoded bytes that are not UTF-8
    (``%C3%28``) are refused, not read as U+FFFD."""
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise QueryError(f"the {what} has percent-encoded bytes that are not UTF-8") from None


def _body_fields(body: bytes, content_type: str) -> tuple[list[tuple[str, str]], str | None]:
    """The fields of a POST body, and its text when it is application/sparql-query."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        return _form_pairs(_decode(body, "form"), "form"), None
    if kind == "application/sparql-query":
        return [], _decode(body, "query")
    if kind == "application/sparql-update":
        return [("update", body.decode("utf-8", "replace"))], ""
    if body:
        raise QueryError(f"unsupported content type {kind!r}: use application/x-www-form-urlencoded "
                         "or application/sparql-query")
    return [], None


async def _request_fields(request: Request, limit: int) -> tuple[dict[str, list[str]], str | None]:
    """Fields of the query string and of a form body, and a body of application/sparql-query."""
    if len(request.url.query) > limit:
        raise _UriTooLong(limit)
    pairs = _form_pairs(request.url.query, "query string")
    direct = None
    if request.method == "POST":
        body = await _read_body(request, limit)
        body_pairs, direct = _body_fields(body, request.headers.get("content-type", ""))
        pairs += body_pairs
    fields: dict[str, list[str]] = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)
    return fields, direct


# Queries -------------------------------------------------------------------------------------

class _InPieces(StreamingResponse):
    """An answer sent as its worker writes it: the first piece, then the rest (the pool's
    ``_Rest``), all within the query's time limit. When it cannot be sent whole (the query or
    the client too slow, the worker gone), the connection ends midway, so the client sees an
    answer cut short, never one that looks complete; however it ends, the job ends with it."""

    def __init__(self, first: bytes, rest, **kwargs):
        super().__init__(self._pieces(first, rest), **kwargs)
        self.rest = rest

    @staticmethod
    async def _pieces(first: bytes, rest) -> AsyncIterator[bytes]:
        yield first
        async for piece in rest:
            yield piece

    async def __call__(self, scope, receive, send) -> None:
        try:
            async with asyncio.timeout_at(self.rest.deadline):
                await super().__call__(scope, receive, send)
        except (TimeoutError, ConflictGraphError):
            pass  # the answer is left unfinished: the server closes the connection
        finally:
            self.rest.close()


async def _answer(request: Request, job: dict, fmt: str | None) -> Response:
    """Run ``job`` in the pool; its answer, which the worker wrote in the format the client asked
    for: whole, with ``X-SPARQL-Truncated: true`` when it was cut, or (a long one) in pieces."""
    config: ServeConfig = request.app.state.config
    reply = await request.app.state.pool.run({**job, "accept": request.headers.get("accept"), "format": fmt})
    extra = {"X-SPARQL-Max-Rows": str(config.max_rows)}
    if "rest" in reply:
        return _InPieces(reply["body"], reply["rest"], media_type=reply["media"], headers=_headers(extra))
    if reply["truncated"]:
        extra["X-SPARQL-Truncated"] = "true"
    return Response(reply["body"], 200, media_type=reply["media"], headers=_headers(extra))


async def _run_query(request: Request, text: str, fmt: str | None, dataset: Dataset | None = None) -> Response:
    """Answer a query from outside over ``dataset`` (None: the query's FROM clauses, else the
    union of all graphs); a refused one gets 403 (update) or 400 (LOAD, SERVICE)."""
    # Relative IRIs in the query resolve against the endpoint's URL (a BASE of its own wins).
    base = f"BASE <{request.url_for('sparql')}>\n"
    job = {"kind": "query", "text": base + SPARQL_PREFIXES + text, "check": True,
           "line_offset": _PROLOGUE_LINES + 1, "dataset": dataset}
    try:  # the worker parses and checks the text before it runs anything
        return await _answer(request, job, fmt)
    except UpdateRefused as refused:
        if _fetches(text):
            return _error(400, "LOAD is refused: the server never fetches URLs (and this endpoint is read-only)")
        return _failure(refused)


async def sparql(request: Request) -> Response:
    """``/sparql``: the SPARQL 1.1 Protocol endpoint; without a query, the service description."""
    try:
        fields, direct = await _request_fields(request, request.app.state.config.max_request_bytes)
        if "update" in fields:
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        texts = fields.get("query", []) + ([direct] if direct is not None else [])
        if not texts:
            return await _service_description(request)
        if len(texts) > 1:
            return _error(400, "give exactly one query")
        if not texts[0].strip():
            return _error(400, "the query is empty")
        dataset = Dataset.from_lists(fields.get("default-graph-uri"), fields.get("named-graph-uri"))
        return await _run_query(request, texts[0], fields["format"][0] if fields.get("format") else None, dataset)
    except ConflictGraphError as err:
        return _failure(err)


def _service_graph(endpoint: str, config: ServeConfig) -> Graph:
    """The SPARQL service description of the endpoint at ``endpoint``."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    g = Graph()
    service, dataset, default = URIRef(endpoint), BNode("dataset"), BNode("default")
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, service))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    g.add((service, sd.feature, sd.UnionDefaultGraph))
    for name in _RESULT_FORMATS:
        g.add((service, sd.resultFormat, formats[name]))
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, default))
    g.add((default, RDF.type, sd.Graph))
    g.add((service, RDFS.comment,
           Literal(f"Read-only. Queries stop after {config.timeout:g} s; answers keep the first "
                   f"{config.max_rows} rows (X-SPARQL-Truncated: true when cut; an answer sent in "
                   "pieces, without that header, was cut when it holds that many rows).")))
    return g


async def _service_description(request: Request) -> Response:
    try:
        media, _write = negotiate(request.headers.get("accept"), "construct")
    except NotAcceptable as err:
        return _failure(err)
    graph = _service_graph(str(request.url_for("sparql")), request.app.state.config)
    rdf_format = {"text/turtle": "turtle", "application/x-turtle": "turtle",
                  "application/ld+json": "json-ld"}.get(media.split(";")[0], "nt")
    data = graph.serialize(format=rdf_format, encoding="utf-8")
    return Response(data, 200, media_type=media, headers=_headers())


async def named(request: Request) -> Response:
    """``/api/named``: run a named query of the catalog with its ``param.*`` fields."""
    try:
        fields, _ = await _request_fields(request, request.app.state.config.max_request_bytes)
        name = (fields.get("name") or [""])[0]
        params = {key[len("param."):]: values[0] for key, values in fields.items()
                  if key.startswith("param.") and values and values[0].strip()}
        job = {"kind": "named", "name": name, "params": params}
        return await _answer(request, job, fields["format"][0] if fields.get("format") else None)
    except ConflictGraphError as err:
        return _failure(err)


async def queries(_request: Request) -> Response:
    """``/api/queries``: the named queries with their parameters, and the prefixes."""
    from conflictgraph.query.catalog import load_catalog
    catalog = [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
                "params": [{"name": p.name, "type": p.type, "description": p.description} for p in q.params]}
               for q in load_catalog().values()]
    return JSONResponse({"queries": catalog, "prefixes": PREFIXES}, headers=_headers())


# Pages ---------------------------------------------------------------------------------------

async def _entity_iri(request: Request) -> str:
    """The IRI of the entity of ``?iri=`` (or ``?name=``)."""
    iri = request.query_params.get("iri", "").strip()
    name = request.query_params.get("name", "").strip()
    if not iri and name:
        iri = (await request.app.state.pool.run({"kind": "resolve", "name": name}))["iri"]
    if not iri or len(iri) > 4096:
        raise UsageError("give ?iri= (or ?name=)")
    from conflictgraph.rdf.namespaces import expand
    return expand(iri)


async def _describe(request: Request) -> dict:
    """What ``conflictgraph show`` reports about the entity of ``?iri=`` (or ``?name=``)."""
    return (await request.app.state.pool.run({"kind": "describe", "iri": await _entity_iri(request)}))["report"]


async def entity(request: Request) -> Response:
    """``/entity``: the page of one entity; or, when the Accept header prefers RDF (or ``format=``
    names an RDF format), the triples it is the subject or object of, as Turtle, N-Triples or JSON-LD."""
    fmt = request.query_params.get("format")
    rdf = bool(fmt) or wants_rdf(request.headers.get("accept"))
    try:
        if rdf:
            return await _answer(request, {"kind": "triples", "iri": await _entity_iri(request)}, fmt)
        report = await _describe(request)
    except ConflictGraphError as err:
        return _failure(err, _entity_status(err)) if rdf else _error_page(err, _entity_status(err))
    return _html(pages.entity_page(report))


async def entity_json(request: Request) -> Response:
    """``/api/entity``: what the entity page shows, as JSON."""
    try:
        return JSONResponse(await _describe(request), headers=_headers())
    except ConflictGraphError as err:
        return _failure(err, _entity_status(err))


async def index(request: Request) -> Response:
    """``/``: the query page."""
    config: ServeConfig = request.app.state.config
    return _html(pages.index_page(max_rows=config.max_rows, timeout=config.timeout))


async def network(request: Request) -> Response:
    """``/network``: the network page of the curated graph, made once per store generation (or
    remote store version)."""
    try:
        import conflictgraph.viz  # noqa: F401
    except ImportError:
        return _html(pages.network_placeholder("The network page needs conflictgraph.viz, which this "
                                               "installation does not have."))
    config: ServeConfig = request.app.state.config
    return await _page_per_generation(request, request.app.state.network_cache, "network",
                                      max(config.timeout, config.network_timeout), csp=_NETWORK_CSP)


async def ontology(request: Request) -> Response:
    """``/ontology``: the documentation of the bundled vocabulary with examples from the served
    store, made once per store generation (or remote store version)."""
    config: ServeConfig = request.app.state.config
    return await _page_per_generation(request, request.app.state.ontology_pages, "vocabulary", config.timeout,
                                      csp=VOCABULARY_CSP)


async def _page_per_generation(request: Request, cache: dict, kind: str, timeout: float, *, csp: str) -> Response:
    """The HTML page a worker makes for the job ``kind``, made once per store generation (on
    disk) or version (remote; made afresh when no build recorded one) and kept in ``cache``."""
    pool = request.app.state.pool
    try:
        generation = (await pool.run({"kind": "ping"}))["generation"]
        if generation is None or generation not in cache:
            reply = await pool.run({"kind": kind}, timeout=timeout)
            cache.clear()
            cache[generation] = reply["html"]
        page = cache[generation]
    except ConflictGraphError as err:
        return _error_page(err, error_status(err))
    return _html(page, csp=csp)


async def ontology_context(_request: Request) -> Response:
    """``/ontology/context.jsonld``: the JSON-LD context of the vocabulary."""
    return JSONResponse({"@context": jsonld_context()}, media_type="application/ld+json", headers=_headers())


# The application -----------------------------------------------------------------------------

@asynccontextmanager
async def _lifespan(app: Starlette):
    """Start the query workers with the server and stop them with it."""
    pool: WorkerPool = app.state.pool
    await pool.start()
    if pool.network_note:
        print(f"warning: {pool.network_note}", file=sys.stderr, flush=True)
    try:
        yield
    finally:
        await pool.close()


def _routes() -> list:
    return [
        Route("/", index), Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/api/queries", queries), Route("/api/named", named, methods=["GET", "POST"]),
        Route("/entity", entity), Route("/api/entity", entity_json), Route("/network", network),
        Route("/ontology", ontology), Route("/ontology/context.jsonld", ontology_context),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def _middleware(cors: tuple[str, ...]) -> list[Middleware]:
    """CORS for the origins in ``cors`` (none by default)."""
    if not cors:
        return []
    from starlette.middleware.cors import CORSMiddleware
    return [Middleware(CORSMiddleware, allow_origins=list(cors), allow_methods=["GET", "POST"],
                       allow_headers=["Accept", "Content-Type"],
                       expose_headers=["X-SPARQL-Truncated", "X-SPARQL-Max-Rows"])]


def create_app(config: ServeConfig) -> Starlette:
    """The Starlette application serving ``config.store`` (an on-disk store path or a remote store).

    The handlers find the settings, the worker pool and the cached network page in ``app.state``.
    """
    pool = WorkerPool(config.store, timeout=config.timeout, max_rows=config.max_rows,
                      max_slow=max(1, config.workers - 1))
    app = Starlette(routes=_routes(), middleware=_middleware(config.cors), lifespan=_lifespan)
    app.state.config = config
    app.state.pool = pool
    app.state.network_cache = {}
    app.state.ontology_pages = {}
    return app
