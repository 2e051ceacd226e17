"""The remote backend: any SPARQL 1.1 store over HTTP (Protocol, Update, Graph Store Protocol).

A :class:`RemoteStore` speaks to a query URL, an update URL and, optionally, a Graph Store
Protocol URL: Oxigraph server (``/query``, ``/update``, ``/store``), Apache Jena Fuseki
(``/ds/query``, ``/ds/update``, ``/ds/data``), GraphDB, Virtuoso or QLever.

Reading. Queries see the union of all named graphs as their default graph, as with the embedded
store, whatever the server's own default: a query names the dataset explicitly
(``default-graph-uri`` and ``named-graph-uri`` = every named graph), unless it has FROM / FROM
NAMED of its own (then it is sent as it is) or is given a :class:`~conflictgraph.store.base.Dataset`
(then that one is sent, and the query's FROM clauses are taken out: Virtuoso would merge the
two). The server's own working graphs (:data:`SERVER_GRAPHS`) and staging graphs are never in
that list. CONSTRUCT and DESCRIBE ask for RDF, SELECT and ASK for result rows. Bound values are joined as a
``VALUES`` block at the start of the query's outermost group, their terms serialized by
pyoxigraph (validated IRIs, escaped literals), never pasted from text.

Never a silently partial answer. A server that cuts answers at a row limit says so in a header
(``X-SPARQL-MaxRows``: Virtuoso; ``X-SPARQL-Truncated``: conflictgraph's own server); a cut
SELECT is then read again in pages of that many rows, in a stable order, and a cut graph answer
is an error naming the setting. An answer of exactly the limit is counted first: when that is all
of it, no page is read. Virtuoso refuses to sort more rows than its limit for a page cut with
LIMIT and OFFSET; the pages past it are cut from a subquery it sorts whole (see :meth:`RemoteStore._pages`).

Writing without a half-written store. ``build`` and ``import`` never write piecemeal into the
live graphs. They stage on the client (the curated layer is built in memory; an import works on
a local copy of the graphs it changes) and then send the change
(:class:`~conflictgraph.store.changes.RemoteChanges`: replace the changed graphs, re-run the
inference rules) as **one** SPARQL Update request when it is small, which Oxigraph, Fuseki
(TDB2) and GraphDB apply atomically. A change of more than ``piece`` triples (500 by default:
Virtuoso 7.2 refuses about 2,000 in one request) goes in pieces to staging graphs that readers
never list, then one small request switches them in (``DROP`` + ``MOVE``): readers see the old
store or the new one, never a mix. Staging graphs a failed writer leaves behind are dropped
by it, or by the next build or import. See :meth:`RemoteStore.apply`.

Examples
--------
>>> ep = Endpoint.from_urls("http://127.0.0.1:7878/query")
>>> (ep.update, ep.gsp)
('http://127.0.0.1:7878/update', None)
"""
from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from conflictgraph.errors import StoreError
from conflictgraph.rdf.sparql_text import (count_query, declares_dataset, inject_values, page_query, returns_graph,
                                          without_dataset)
from conflictgraph.rdf.terms import IRI, Term, lexical
from conflictgraph.store.base import Capabilities, Dataset, Quad, QueryResult
from conflictgraph.store.changes import STAGING, Load, RemoteChanges, sparql_term
from conflictgraph.store.credentials import netrc_credentials, redact, split_credentials
from conflictgraph.store.oxigraph import from_ox, to_ox
from conflictgraph.store.results import ACCEPT, ACCEPT_GRAPH, read_results

__all__ = ["Endpoint", "RemoteStore", "RemoteChanges", "PIECE", "server_words", "sparql_term"]

_FORM = "application/x-www-form-urlencoded"
_TSV = "text/tab-separated-values"
# Triples per INSERT DATA / DELETE DATA request of a change sent in pieces, and of add_quads:
# Virtuoso 7.2 refuses about 2,000 (SP031, "generated SQL text exceeded 10000 lines") and
# compiles a request in time that grows faster than its size (500 triples: 0.15 s, 1,000: 0.5 s).
PIECE = 500
# Triples per Graph Store Protocol POST of a change sent in pieces (a few MB: Virtuoso takes up to
# 10 MB a request, and 20,000 triples in 0.7 s where INSERT DATA takes 500 in 0.15 s).
GSP_PIECE = 20_000


@dataclass(frozen=True)
class Endpoint:
    """Where a remote store lives: query URL, update URL, an optional Graph Store URL, and
    optional credentials (see :mod:`conflictgraph.store.credentials`; never in a message).

    Examples
    --------
    >>> str(Endpoint.from_urls("http://localhost:3030/ds/query", gsp="http://localhost:3030/ds/data"))
    'http://localhost:3030/ds/query'
    >>> Endpoint.from_urls("http://ana:s3cret@db.example/sparql")
    Endpoint(query='http://db.example/sparql', update='http://db.example/sparql', gsp=None, user='ana')
    """

    query: str
    update: str
    gsp: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_urls(cls, query: str, update: str | None = None, gsp: str | None = None, *,
                  user: str | None = None, password: str | None = None) -> Endpoint:
        """The update URL defaults to the query URL with a final ``/query`` replaced by
        ``/update`` (Oxigraph, Fuseki), else to the query URL itself (GraphDB, Virtuoso).
        A ``user:password@`` in a URL is taken out of it and used when ``user`` and
        ``password`` are not given."""
        if not re.match(r"https?://", query or ""):
            raise StoreError(f"a SPARQL endpoint needs an http(s) URL, not {redact(repr(query))}")
        query, url_user, url_password = split_credentials(query)
        update = split_credentials(update)[0] if update else None
        gsp = split_credentials(gsp)[0] if gsp else None
        if user is None and password is None:
            user, password = url_user, url_password
        if update is None:
            update = query[: -len("/query")] + "/update" if query.rstrip("/").endswith("/query") else query
        return cls(query.rstrip("/") if query.endswith("/query/") else query, update, gsp, user, password)

    def credentials(self) -> tuple[str, str] | None:
        """(user, password) to answer the server's challenge with: those given, else the
        ``~/.netrc`` entry of the query URL's host (for ``user`` when one is given); None for none."""
        if self.password is not None:
            return self.user or "", self.password
        found = netrc_credentials(self.query)
        if found and (self.user is None or found[0] == self.user):
            return found
        return (self.user, "") if self.user else None

    def __str__(self) -> str:
        return self.query


# Graphs a server keeps for its own working, never part of the union default graph: Virtuoso's
# description of how its tables map to RDF (thousands of triples every query would otherwise read).
SERVER_GRAPHS = frozenset({"http://www.openlinksw.com/schemas/virtrdf#"})

# Row limits servers apply by default (Virtuoso's ResultSetMaxRows as Debian ships it, serve's
# --max-rows, public endpoints): an answer of exactly that many rows is read again in pages
# even when no header says it was cut (if it was whole, that costs one more request).
_KNOWN_CAPS = frozenset({10_000})


def _cut_at(headers, count: int) -> int | None:
    """The row limit a server cut an answer of ``count`` rows at, or None when it is whole:
    ``X-SPARQL-Truncated: true`` (conflictgraph's own server, its limit in ``X-SPARQL-Max-Rows``),
    as many rows as ``X-SPARQL-Max-Rows`` (the same server's answers sent in pieces, which cannot
    say so in a header), ``X-SPARQL-MaxRows: N`` with N rows or more (Virtuoso's
    ResultSetMaxRows), or no header and exactly a known default limit of rows.

    >>> _cut_at({"x-sparql-max-rows": "50"}, 50), _cut_at({"x-sparql-max-rows": "50"}, 49)
    (50, None)
    """
    own = headers.get("x-sparql-max-rows", "").strip()
    if headers.get("x-sparql-truncated", "").strip().lower() == "true":
        return int(own) if own.isdigit() and int(own) > 0 else max(count, 1)
    if own.isdigit() and 0 < int(own) <= count:
        return int(own)
    limit = headers.get("x-sparql-maxrows", "").strip()
    if limit.isdigit() and 0 < int(limit) <= count:
        return int(limit)
    return count if count in _KNOWN_CAPS else None


def server_words(text: str, content_type: str = "") -> str:
    """What a server said in an error answer, on one line: tags of an HTML page dropped,
    whitespace collapsed, cut at 300 characters.

    >>> server_words("<html><body><h1>Bad request</h1>\\n<p>Parse error\\n at line 1</p></body></html>", "text/html")
    'Bad request Parse error at line 1'
    """
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        text = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", text, flags=re.I | re.S)
        text = re.sub(r"<[^>]*>", " ", text)
    words = " ".join(text.split())
    return (words[:300] + "...") if len(words) > 300 else words or "(no message)"


class RemoteStore:
    """A SPARQL 1.1 endpoint behind the :class:`conflictgraph.store.Store` interface.

    Parameters
    ----------
    endpoint : Endpoint
        The query, update and (optional) Graph Store Protocol URLs.
    timeout : float
        Seconds to wait for any one HTTP answer.
    piece : int
        A change of more triples than this is sent in pieces of this many (see :meth:`apply`;
        default :data:`PIECE`).

    Examples
    --------
    >>> store = RemoteStore(Endpoint.from_urls("http://127.0.0.1:9/query"), timeout=1)  # doctest: +SKIP
    >>> store.query("ASK { ?s ?p ?o }").boolean  # doctest: +SKIP
    False
    """

    def __init__(self, endpoint: Endpoint, *, timeout: float = 300.0, piece: int | None = None):
        import httpx

        from conflictgraph.store.http_auth import ServerAuth

        self.endpoint, self.piece = endpoint, piece or PIECE
        self.read_only = False
        self.capabilities = Capabilities(persistent=True)
        credentials = endpoint.credentials()
        self._client = httpx.Client(timeout=timeout, headers={"User-Agent": "conflictgraph"}, trust_env=False,
                                    auth=ServerAuth(*credentials) if credentials else None)
        self._graphs: list[str] | None = None
        self._union: bool | None = None

    # -- reading ---------------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              dataset: Dataset | None = None) -> QueryResult:
        """Run ``sparql`` with ``bindings`` applied, over ``dataset``, else the dataset of its
        FROM clauses, else the union of all named graphs."""
        fields = self._dataset_fields(sparql, dataset)
        if dataset is not None and declares_dataset(sparql):
            sparql = without_dataset(sparql)  # the given dataset wins; some servers would merge the two
        if bindings:
            block = "VALUES ({}) {{ ({}) }}".format(" ".join(f"?{name}" for name in bindings),
                                                   " ".join(sparql_term(t) for t in bindings.values()))
            sparql = inject_values(sparql, block)
        result, cap = self._ask(sparql, fields)
        if cap is None:
            return result
        if result.kind != "select":
            raise StoreError(f"{self.endpoint.query} cut a graph answer at {cap} triples (its limit on result "
                             "rows, such as Virtuoso's ResultSetMaxRows): raise that limit on the server")
        if len(result.rows) == cap and self._row_count(sparql, fields) == cap:
            return result  # exactly as many rows as the limit: whole after all
        return self._pages(sparql, fields, result.variables, cap)

    def select_values(self, sparql: str) -> Iterator[tuple[str | None, ...]]:
        """The rows of a SELECT over the union of all named graphs as the lexical values of their
        terms (None when unbound), as :meth:`OxigraphStore.select_values` gives them: asked for as
        tab-separated values and read by pyoxigraph, no conflictgraph term made (the event-tie
        table's grouped query, 100,000 events through ``oxigraph serve``, one run on a busy
        machine: 5.8 s as TSV against 10.1 s as JSON terms). An answer in another format, TSV
        pyoxigraph cannot read, or one cut at a row limit, is read as :meth:`query` reads it."""
        fields = self._dataset_fields(sparql, None)
        response = self._post(self.endpoint.query, content=urlencode([("query", sparql)] + fields).encode("ascii"),
                              headers={"Accept": f"{_TSV}, {ACCEPT}", "Content-Type": _FORM})
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == _TSV:
            try:
                solutions = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.TSV)
            except (ValueError, SyntaxError):  # Virtuoso 7.2 heads its TSV with "n", not ?n: asked again below
                solutions = None
            if isinstance(solutions, ox.QuerySolutions):
                rows = [tuple(None if term is None else term.value for term in solution) for solution in solutions]
                if _cut_at(response.headers, len(rows)) is None:
                    yield from rows
                    return
        result = self.query(sparql)
        for row in result.rows:
            yield tuple(None if row.get(v) is None else str(row[v]) for v in result.variables)

    def _row_count(self, sparql: str, fields: list[tuple[str, str]]) -> int | None:
        """How many rows the SELECT ``sparql`` has (None when the server does not say)."""
        rows = self._ask(count_query(sparql), fields)[0].rows
        value = rows[0].get("rows") if rows else None
        return int(lexical(value)) if value is not None and lexical(value).isdigit() else None

    def _ask(self, sparql: str, fields: list[tuple[str, str]]) -> tuple[QueryResult, int | None]:
        """The server's answer to ``sparql``, and the row limit it cut the answer at (None: whole)."""
        form = [("query", sparql)] + fields
        response = self._post(self.endpoint.query, content=urlencode(form).encode("ascii"),
                              headers={"Accept": ACCEPT_GRAPH if returns_graph(sparql) else ACCEPT,
                                       "Content-Type": _FORM})
        result = self._result(response)
        return result, _cut_at(response.headers, len(result))

    def _pages(self, sparql: str, fields: list[tuple[str, str]], variables: list[str], size: int) -> QueryResult:
        """Every row of a SELECT the server cuts at ``size`` rows, read ``size`` rows at a time in
        a stable order (:func:`~conflictgraph.rdf.sparql_text.page_query`). A server that refuses
        a page past its limit on rows sorted for a LIMIT (Virtuoso's MaxSortedTopRows, 10,000 by
        default, offset included) is asked for the rest cut from a subquery sorted whole, in the
        same order (``sort_inside``), which Virtuoso answers."""
        rows: list[dict[str, Term | None]] = []
        sort_inside = False
        while True:
            try:
                page, cap = self._ask(page_query(sparql, variables, size, len(rows), sort_inside=sort_inside), fields)
            except StoreError as err:
                if not rows:
                    raise
                if not sort_inside:
                    sort_inside = True
                    continue
                raise StoreError(f"{self.endpoint.query} cut an answer at {size} rows and refused the next page in "
                                 f"a stable order ({err}); raise its limits on result rows and on rows sorted "
                                 "(Virtuoso: ResultSetMaxRows and MaxSortedTopRows in virtuoso.ini)") from None
            if cap is not None and cap < size:
                raise StoreError(f"{self.endpoint.query} cut a page of {size} rows at {cap}: "
                                 "raise its limit on result rows")
            rows.extend(page.rows)
            if len(page.rows) < size:
                return QueryResult(kind="select", variables=variables, rows=rows)

    def _dataset_fields(self, sparql: str, dataset: Dataset | None) -> list[tuple[str, str]]:
        """The Protocol's dataset fields that make the server see what the embedded store sees."""
        if dataset is None and declares_dataset(sparql):
            return []  # the query's own FROM clauses decide
        if dataset is None:
            default = named = tuple(self.named_graphs())
        else:
            default, named = dataset.default, dataset.named
        fields = [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]
        if not default:  # an empty default graph: name a graph that does not exist, so nothing matches
            fields.append(("default-graph-uri", "urn:conflictgraph:empty"))
        return fields

    def _result(self, response) -> QueryResult:
        return read_results(response.content, response.headers.get("content-type", ""), source=self.endpoint.query)

    def named_graphs(self) -> list[str]:
        """Every named graph but the staging graphs of a change being sent (:meth:`apply`) and
        the graphs a server keeps for its own working (:data:`SERVER_GRAPHS`)."""
        return [g for g in self._all_graphs() if not g.startswith(STAGING) and g not in SERVER_GRAPHS]

    def forget_graphs(self) -> None:
        """Forget the list of graphs read before: the next question lists them again."""
        self._graphs = None

    def staging_graphs(self) -> list[str]:
        """The staging graphs on the server: a change being sent, or left by a failed writer."""
        return [g for g in self._all_graphs() if g.startswith(STAGING)]

    def _all_graphs(self) -> list[str]:
        if self._graphs is None:
            rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
            if any(row.get("g") is None for row in rows):
                # Virtuoso answers an empty group with one unbound row: ask for graphs with a triple
                rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            self._graphs = sorted(str(row["g"]) for row in rows if isinstance(row.get("g"), IRI))
        return list(self._graphs)

    def _select(self, sparql: str) -> list[dict[str, Term | None]]:
        """The rows of a SELECT sent as it is (no dataset fields), read whole."""
        result, cap = self._ask(sparql, [])
        return result.rows if cap is None else self._pages(sparql, [], result.variables, cap).rows

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Every quad of ``graph``, or of all named graphs."""
        text = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        for row in self.query(text, bindings={"g": IRI(graph)} if graph else None).rows:
            s, p, o = row["s"], row["p"], row["o"]
            assert s is not None and p is not None and o is not None  # the pattern binds all three
            yield s, p, o, str(row["g"])

    def dump_nquads(self, path: Path) -> None:
        """Write every quad of the named graphs to ``path`` as N-Quads."""
        # self.quads() gives named graphs only (g is never None), and pyoxigraph refuses (TypeError)
        # a literal subject or a predicate that is not an IRI; the Quad type allows any term there.
        quads = (ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g))  # type: ignore[arg-type]
                 for s, p, o, g in self.quads())
        ox.serialize(quads, str(path), format=ox.RdfFormat.N_QUADS)

    def is_empty(self) -> bool:
        return not self.named_graphs()

    # -- writing ---------------------------------------------------------------------------

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads (each chunk is its own request; builds and imports use :meth:`apply`)."""
        batch: list[Quad] = []
        for quad in quads:
            batch.append(quad)
            if len(batch) >= self.piece:
                self._insert(batch)
                batch = []
        if batch:
            self._insert(batch)

    load_quads = add_quads

    def _insert(self, quads: list[Quad]) -> None:
        if self.endpoint.gsp:
            by_graph: dict[str | None, list[str]] = {}
            for s, p, o, g in quads:
                by_graph.setdefault(g, []).append(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} .\n")
            for graph, lines in by_graph.items():
                self._load(graph, "".join(lines))
        else:
            changes = RemoteChanges()
            changes.insert(quads)
            self.update(changes.text())
        self._graphs = None

    def _load(self, graph: str | None, ntriples: str) -> None:
        """Add N-Triples to ``graph`` (None: the default graph) with a Graph Store Protocol POST."""
        assert self.endpoint.gsp is not None  # only called when the endpoint has one
        params = {"graph": graph} if graph else {"default": ""}
        self._post(self.endpoint.gsp, params=params, content=ntriples.encode("utf-8"),
                   headers={"Content-Type": "application/n-triples"})
        self._graphs = None

    def remove_subjects(self, subjects: Iterable[str], graph: str) -> int:
        """Remove every quad in ``graph`` whose subject is one of ``subjects``."""
        subjects = list(subjects)
        if not subjects:
            return 0
        target = sparql_term(IRI(graph))
        values = " ".join(sparql_term(IRI(s)) for s in subjects)
        before = self._count(graph)
        self.update(f"DELETE {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {values} }} "
                    f"GRAPH {target} {{ ?s ?p ?o }} }}")
        return before - self._count(graph)

    def _count(self, graph: str) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": IRI(graph)}).rows
        return int(lexical(rows[0]["n"]))

    def clear_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {sparql_term(IRI(graph))}")

    def load_nquads_file(self, path: Path, graphs: Iterable[str] = ()) -> None:
        """Send the quads of an N-Quads file (parsed here, so bad text never reaches the server)."""
        with open(path, "rb") as handle:
            self.add_quads((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object),
                            None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value)
                           for q in ox.parse(handle, format=ox.RdfFormat.N_QUADS))

    def backup(self, target: Path) -> None:
        raise StoreError(f"a remote store cannot be backed up to a folder here ({self.endpoint}); "
                         "use the server's own backup")

    def compact(self) -> None:
        """Nothing to do: the server keeps its own files."""

    def update(self, text: str) -> None:
        """Send one SPARQL Update request (applied atomically by the server)."""
        self._post(self.endpoint.update, content=text.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        self._graphs = None

    def apply(self, changes: RemoteChanges) -> None:
        """Send ``changes`` so that readers see all of it or none of it: as one request when it
        holds at most ``piece`` triples, else in pieces on staging graphs switched in by one
        last request (:meth:`RemoteChanges.staged`); the staging graphs are dropped on failure."""
        if not changes:
            return
        if changes.triples() <= self.piece:
            self.update(changes.text())
            return
        plan = changes.staged(uuid.uuid4().hex[:12], piece=self.piece, load=GSP_PIECE if self.endpoint.gsp else None)
        try:
            if plan.copies:
                self.update(plan.copies)
            for piece in plan.pieces:
                if isinstance(piece, Load):
                    self._load(piece.graph, piece.ntriples)
                else:
                    self.update(piece)
            self.update(plan.switch)
        except BaseException:
            self.drop_graphs(plan.staging)
            raise

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Drop ``graphs`` (best effort: a failure here is not reported over the one that led here)."""
        graphs = list(graphs)
        if graphs:
            with contextlib.suppress(StoreError):
                self.update(" ;\n".join(f"DROP SILENT GRAPH {sparql_term(IRI(g))}" for g in graphs))

    def union_default_graph(self) -> bool:
        """Whether the server's own default graph is the union of its named graphs.

        Rules run as ``INSERT ... WHERE``; on such a server they read the union as is, on the
        others they name the graphs to read with ``USING``. Found out once, with a probe quad
        in a graph of its own that is removed again.
        """
        if self._union is None:
            probe = "urn:conflictgraph:probe"
            self.update(f"INSERT DATA {{ GRAPH <{probe}> {{ <{probe}> <{probe}> <{probe}> }} }}")
            try:
                response = self._post(self.endpoint.query, data={"query": f"ASK {{ <{probe}> <{probe}> <{probe}> }}"},
                                      headers={"Accept": ACCEPT})
                self._union = bool(self._result(response).boolean)
            finally:
                self.clear_graph(probe)
        return self._union

    def close(self) -> None:
        self._client.close()

    # -- HTTP ------------------------------------------------------------------------------

    def _post(self, url: str, **kwargs):
        import httpx

        try:
            response = self._client.post(url, **kwargs)
        except httpx.HTTPError as err:
            raise StoreError(redact(f"cannot reach the SPARQL endpoint {url}: {err}")) from None
        if response.status_code >= 400:
            words = server_words(response.text, response.headers.get("content-type", ""))
            raise StoreError(redact(f"{url} answered {response.status_code} {response.reason_phrase}: {words}"))
        return response

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint.query!r})"
