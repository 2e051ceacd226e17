"""The web application: a read-only SPARQL 1.1 Protocol endpoint and pages to work in.

Routes
------
- ``/sparql``: the endpoint (GET ``?query=``, POST form-encoded, POST ``application/sparql-query``);
  without a query, the service description.
- ``/``: the query page; ``/static/*`` its script and style (nothing from any CDN).
- ``/api/queries``: the named queries with their parameters; ``/api/named``: run one by name.
- ``/entity?iri=``: what ``conflictgraph show`` shows about an entity; ``/api/entity`` as JSON.
- ``/network``: the network page of the curated graph (``conflictgraph viz``).

Every query is parsed first (:func:`conflictgraph.sparql_safety.check_query`, in the worker, before
the engine sees it): updates get 403, SERVICE and LOAD 400, before anything runs. Queries then run in the worker pool
(:mod:`conflictgraph.serve.pool`) with a time limit (504 when it is passed, 503 when no worker
becomes free) and a row limit (the first rows, with ``X-SPARQL-Truncated: true``).

Examples
--------
>>> config = ServeConfig(store="store", max_rows=10)
>>> config.timeout, config.workers >= 1
(30.0, True)
"""
from __future__ import annotations

import asyncio
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from conflictgraph.errors import ConflictGraphError, QueryError, QueryRefused, StoreMissing, UsageError
from conflictgraph.namespaces import PREFIXES, SPARQL_PREFIXES
from conflictgraph.serve import pages
from conflictgraph.serve.formats import NotAcceptable, negotiate
from conflictgraph.serve.pool import EntityNotFound, PoolBusy, QueryTimeout, WorkerFailed, WorkerPool

__all__ = ["ServeConfig", "create_app"]

STATIC = Path(__file__).parent / "static"


@dataclass
class ServeConfig:
    """Settings of one server (from the ``serve`` command's options)."""

    store: str | Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = field(default_factory=lambda: max(2, min(4, os.cpu_count() or 2)))
    max_request_bytes: int = 1 << 20
    cors: tuple[str, ...] = ()
    network_timeout: float = 120.0


class _TooLarge(ConflictGraphError):
    pass


_SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
_PROLOGUE_LINES = SPARQL_PREFIXES.count("\n")


def _refusal_status(text: str) -> tuple[int, str]:
    """403 for an update; 400 for an update that would fetch a URL (LOAD) or for a query (SERVICE)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception:
        return 400, ""
    stack: list = [parsed]
    while stack:
        item = stack.pop()
        if getattr(item, "name", None) == "Load":
            return 400, "LOAD is refused: the server never fetches URLs (and this endpoint is read-only)"
        if isinstance(item, dict):
            stack.extend(item.values())
        elif not isinstance(item, (str, bytes)) and hasattr(item, "__iter__"):
            stack.extend(list(item))
    return 403, ""


def create_app(config: ServeConfig) -> Starlette:
    """The Starlette application serving ``config.store`` (an on-disk store path)."""
    pool = WorkerPool(config.store, size=config.workers, timeout=config.timeout, max_rows=config.max_rows)
    network_cache: dict[str, str] = {}

    @asynccontextmanager
    async def lifespan(_app):
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    def headers(extra: dict | None = None) -> dict:
        return {**_SECURITY_HEADERS, **(extra or {})}

    def html(body: str, status: int = 200, csp: str = pages.PAGE_CSP) -> HTMLResponse:
        return HTMLResponse(body, status, headers=headers({"Content-Security-Policy": csp}))

    def error(status: int, message: str, extra: dict | None = None) -> PlainTextResponse:
        return PlainTextResponse(message + "\n", status, headers=headers(extra))

    def failure(err: ConflictGraphError) -> PlainTextResponse:
        if isinstance(err, QueryTimeout):
            return error(504, str(err))
        if isinstance(err, PoolBusy):
            return error(503, str(err), {"Retry-After": "5"})
        if isinstance(err, (WorkerFailed, StoreMissing)):
            return error(503, str(err))
        if isinstance(err, NotAcceptable):
            return error(406, str(err))
        if isinstance(err, _TooLarge):
            return error(413, str(err))
        if isinstance(err, (QueryError, UsageError, QueryRefused)):
            return error(400, str(err))
        return error(500, str(err))

    async def read_body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > config.max_request_bytes:
            raise _TooLarge(f"the request is larger than the limit of {config.max_request_bytes} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > config.max_request_bytes:
                raise _TooLarge(f"the request is larger than the limit of {config.max_request_bytes} bytes")
        return bytes(body)

    async def request_fields(request: Request) -> tuple[dict[str, list[str]], str | None]:
        """Fields of the query string and of a form body, and a body of application/sparql-query."""
        if len(request.url.query) > config.max_request_bytes:
            raise _TooLarge(f"the request is larger than the limit of {config.max_request_bytes} bytes")
        fields: dict[str, list[str]] = {}
        for key, value in parse_qsl(request.url.query, keep_blank_values=True):
            fields.setdefault(key, []).append(value)
        direct = None
        if request.method == "POST":
            body = await read_body(request)
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise QueryError("the form is not UTF-8") from None
                for key, value in parse_qsl(text, keep_blank_values=True):
                    fields.setdefault(key, []).append(value)
            elif kind == "application/sparql-query":
                try:
                    direct = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise QueryError("the query is not UTF-8") from None
            elif kind == "application/sparql-update":
                direct = ""
                fields.setdefault("update", []).append(body.decode("utf-8", "replace"))
            elif body:
                raise QueryError(f"unsupported content type {kind!r}: use application/x-www-form-urlencoded "
                                 "or application/sparql-query")
        return fields, direct

    async def answer(request: Request, job: dict, fmt: str | None) -> Response:
        reply = await pool.run(job)
        result = reply["result"]
        media, write = negotiate(request.headers.get("accept"), result.kind, fmt)
        extra = {"X-SPARQL-Max-Rows": str(config.max_rows)}
        if reply["truncated"]:
            extra["X-SPARQL-Truncated"] = "true"
        body = await asyncio.to_thread(write, result)
        return Response(body, 200, media_type=media, headers=headers(extra))

    async def sparql(request: Request) -> Response:
        try:
            fields, direct = await request_fields(request)
            if "update" in fields:
                return error(403, "this endpoint is read-only: SPARQL Update is refused")
            texts = fields.get("query", []) + ([direct] if direct else [])
            if not texts:
                return await service_description(request)
            if len(texts) > 1:
                return error(400, "give exactly one query")
            if fields.get("default-graph-uri") or fields.get("named-graph-uri"):
                return error(400, "default-graph-uri and named-graph-uri are not supported: the default graph "
                                  "is the union of all named graphs; use GRAPH or FROM in the query")
            fmt = (fields.get("format") or [None])[0]
            job = {"kind": "query", "text": SPARQL_PREFIXES + texts[0], "check": True, "line_offset": _PROLOGUE_LINES}
            try:  # the worker parses and checks the text before it runs anything
                return await answer(request, job, fmt)
            except QueryRefused as refused:
                status, message = await asyncio.to_thread(_refusal_status, texts[0])
                return error(status, message or str(refused))
        except ConflictGraphError as err:
            return failure(err)

    async def service_description(request: Request) -> Response:
        from rdflib import BNode, Graph, Literal, Namespace, URIRef
        from rdflib.namespace import RDF

        sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
        formats = Namespace("http://www.w3.org/ns/formats/")
        g = Graph()
        service, dataset, default = URIRef(str(request.url_for("sparql"))), BNode("dataset"), BNode("default")
        g.add((service, RDF.type, sd.Service))
        g.add((service, sd.endpoint, service))
        g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
        g.add((service, sd.feature, sd.UnionDefaultGraph))
        for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                     "Turtle", "N-Triples", "JSON-LD"):
            g.add((service, sd.resultFormat, formats[name]))
        g.add((service, sd.defaultDataset, dataset))
        g.add((dataset, RDF.type, sd.Dataset))
        g.add((dataset, sd.defaultGraph, default))
        g.add((default, RDF.type, sd.Graph))
        g.add((service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
               Literal(f"Read-only. Queries stop after {config.timeout:g} s; answers keep the first "
                       f"{config.max_rows} rows (X-SPARQL-Truncated: true when cut).")))
        try:
            media, _write = negotiate(request.headers.get("accept"), "construct")
        except NotAcceptable as err:
            return failure(err)
        rdf_format = {"text/turtle": "turtle", "application/x-turtle": "turtle",
                      "application/ld+json": "json-ld"}.get(media.split(";")[0], "nt")
        data = g.serialize(format=rdf_format, encoding="utf-8")
        return Response(data, 200, media_type=media, headers=headers())

    async def named(request: Request) -> Response:
        try:
            fields, _ = await request_fields(request)
            name = (fields.get("name") or [""])[0]
            params = {key[len("param."):]: values[0] for key, values in fields.items()
                      if key.startswith("param.") and values and values[0].strip()}
            job = {"kind": "named", "name": name, "params": params}
            return await answer(request, job, (fields.get("format") or [None])[0])
        except ConflictGraphError as err:
            return failure(err)

    async def queries(_request: Request) -> Response:
        from conflictgraph.queries import load_catalog
        catalog = [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
                    "params": [{"name": p.name, "type": p.type, "description": p.description} for p in q.params]}
                   for q in load_catalog().values()]
        return JSONResponse({"queries": catalog, "prefixes": PREFIXES}, headers=headers())

    async def describe_job(request: Request) -> dict:
        iri = request.query_params.get("iri", "").strip()
        name = request.query_params.get("name", "").strip()
        if not iri and name:
            iri = (await pool.run({"kind": "resolve", "name": name}))["iri"]
        if not iri or len(iri) > 4096:
            raise UsageError("give ?iri= (or ?name=)")
        from conflictgraph.namespaces import expand
        return (await pool.run({"kind": "describe", "iri": expand(iri)}))["report"]

    def entity_failure(err: ConflictGraphError) -> PlainTextResponse:
        """An entity page that names nothing is 404 (a named query's unknown parameter stays 400)."""
        return error(404, str(err)) if isinstance(err, EntityNotFound) else failure(err)

    async def entity(request: Request) -> Response:
        try:
            report = await describe_job(request)
        except ConflictGraphError as err:
            plain = entity_failure(err)
            return html(pages.error_page(plain.status_code, str(err)), plain.status_code)
        return html(pages.entity_page(report))

    async def entity_json(request: Request) -> Response:
        try:
            return JSONResponse(await describe_job(request), headers=headers())
        except ConflictGraphError as err:
            return entity_failure(err)

    async def index(_request: Request) -> Response:
        return html(pages.index_page(max_rows=config.max_rows, timeout=config.timeout))

    async def network(_request: Request) -> Response:
        try:
            import conflictgraph.viz  # noqa: F401
        except ImportError:
            return html(pages.network_placeholder("The network page needs conflictgraph.viz, which this "
                                                  "installation does not have."))
        from conflictgraph.store.disk import StoreLocation
        generation = str(StoreLocation(config.store).current())
        if generation not in network_cache:
            try:
                reply = await pool.run({"kind": "network"}, timeout=max(config.timeout, config.network_timeout))
            except ConflictGraphError as err:
                plain = failure(err)
                return html(pages.error_page(plain.status_code, str(err)), plain.status_code)
            network_cache.clear()
            network_cache[generation] = reply["html"]
        # The page inlines its own scripts and styles; it may load nothing from elsewhere.
        csp = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
               "font-src data:; base-uri 'none'; form-action 'none'")
        return html(network_cache[generation], csp=csp)

    routes = [
        Route("/", index), Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/api/queries", queries), Route("/api/named", named, methods=["GET", "POST"]),
        Route("/entity", entity), Route("/api/entity", entity_json), Route("/network", network),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = []
    if config.cors:
        from starlette.middleware.cors import CORSMiddleware
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors), allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type"],
                                     expose_headers=["X-SPARQL-Truncated", "X-SPARQL-Max-Rows"]))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    return app
