"""One change to a remote store, sent whole or in pieces that readers never see half-done.

A :class:`RemoteChanges` is the list of steps a build or import makes (drop a graph, insert or
delete quads, run a rule, ...). :meth:`RemoteChanges.text` writes it as **one** SPARQL Update
request, which the server applies atomically. Some servers refuse a large request (Virtuoso 7.2
compiles each request to SQL and refuses more than 10,000 lines of it, about 2,000 triples of
``INSERT DATA``, and any request over 10 MB): then :meth:`RemoteChanges.staged` sends the
quads in many small requests to *staging* graphs under :data:`STAGING` (one per graph that
receives quads, starting as a copy of it unless the change first drops it), and everything
else in one last small request: replace each of those graphs by its staging graph (``DROP`` +
``MOVE``), then the other steps (drop graphs, run the rules, ...) in their order. Readers list
no staging graph (:meth:`RemoteStore.named_graphs
<conflictgraph.store.remote.RemoteStore.named_graphs>`), so until that last request they see
the old graphs, and after it the new ones.

Blank nodes are scoped to one request, so the quads of a graph that mention blank nodes are
always sent in the same piece.

Examples
--------
>>> changes = RemoteChanges()
>>> changes.drop_graph("http://ex/g")
>>> changes.insert([(IRI("http://ex/a"), IRI("http://ex/p"), Literal("x"), "http://ex/g")])
>>> print(changes.text())
DROP SILENT GRAPH <http://ex/g> ;
INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> "x" .
} }
>>> plan = changes.staged("run1", piece=100)
>>> plan.pieces
['INSERT DATA { GRAPH <https://w3id.org/conflictgraph/graph/staging/run1/0> { <http://ex/a> <http://ex/p> "x" .\\n} }']
>>> print(plan.switch)
DROP SILENT GRAPH <http://ex/g> ;
MOVE SILENT GRAPH <https://w3id.org/conflictgraph/graph/staging/run1/0> TO GRAPH <http://ex/g>
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from conflictgraph.errors import QueryError, StoreError
from conflictgraph.rdf.namespaces import GRAPHS
from conflictgraph.rdf.sparql_text import construct_to_insert
from conflictgraph.rdf.terms import IRI, XSD, BNode, Literal, Term
from conflictgraph.store.base import Quad
from conflictgraph.store.oxigraph import to_ox

__all__ = ["Load", "RemoteChanges", "StagedChanges", "STAGING", "sparql_term"]

# Staging graphs of a change sent in pieces: STAGING + "<run>/<n>". Readers never list them; a
# build or import drops any a failed or killed writer left behind.
STAGING = GRAPHS + "staging/"

Rename = Callable[[str], str]


def sparql_term(term: Term) -> str:
    """A term in SPARQL/N-Triples syntax, serialized by pyoxigraph (so IRIs are validated and
    literals escaped).

    >>> sparql_term(Literal('say "hi"', lang="en"))
    '"say \\\\"hi\\\\""@en'
    """
    try:
        return str(to_ox(term))
    except (ValueError, TypeError) as err:
        raise QueryError(f"not a valid RDF term: {term!r} ({err})") from None


def _ref(graph: str) -> str:
    return sparql_term(IRI(graph))


@dataclass(frozen=True)
class _Data:
    """``INSERT DATA`` or ``DELETE DATA`` of triples (N-Triples lines) in one graph (None: default)."""

    verb: str
    graph: str | None
    lines: tuple[str, ...]
    blank: tuple[bool, ...]  # per line: does it mention a blank node?

    def text(self, rename: Rename, lines: Iterable[str] | None = None) -> str:
        body = "\n".join(self.lines if lines is None else lines)
        if self.graph is None:
            return f"{self.verb} DATA {{ {body}\n}}"
        return f"{self.verb} DATA {{ GRAPH {_ref(rename(self.graph))} {{ {body}\n}} }}"

    def pieces(self, rename: Rename, size: int, load: int | None = None) -> list[str | Load]:
        """This step as requests of at most ``size`` triples, the blank-node triples together;
        an insert as :class:`Load` pieces of ``load`` triples when ``load`` is given."""
        if load and self.verb == "INSERT" and self.graph is not None:
            graph = rename(self.graph)
            return [Load(graph, "".join(line + "\n" for line in chunk)) for chunk in self._chunks(load)]
        return [self.text(rename, chunk) for chunk in self._chunks(size)]

    def _chunks(self, size: int) -> list[list[str]]:
        plain = [line for line, blank in zip(self.lines, self.blank) if not blank]
        blank = [line for line, is_blank in zip(self.lines, self.blank) if is_blank]
        return [plain[i:i + size] for i in range(0, len(plain), size)] + ([blank] if blank else [])


@dataclass(frozen=True)
class Load:
    """Triples (N-Triples text) to add to ``graph`` through the Graph Store Protocol (a POST)."""

    graph: str
    ntriples: str


@dataclass(frozen=True)
class _Rule:
    """A CONSTRUCT rule run into ``graph``, its WHERE reading ``inputs`` (named with USING unless
    the server's default graph is already the union of every graph: ``union``)."""

    construct: str
    graph: str
    inputs: tuple[str, ...]
    union: bool

    def parts(self) -> tuple[dict[str, str], str]:
        """The rule's PREFIX declarations and its INSERT operation (some servers, Oxigraph among
        them, accept a prologue only at the start of a request)."""
        update = construct_to_insert(self.construct, self.graph, None if self.union else list(self.inputs))
        insert = re.search(r"\bINSERT\b", update)
        assert insert is not None  # construct_to_insert always writes one (or raises)
        prologue = re.sub(r"(?:(?<=\s)|^)#[^\n]*", "", update[:insert.start()], flags=re.M)
        if re.search(r"\bBASE\b", prologue, re.I):
            raise QueryError("rules sent to a remote store may not declare BASE")
        prefixes: dict[str, str] = {}
        for prefix, namespace in re.findall(r"PREFIX\s+([\w.\-]*):\s*<([^>]*)>", prologue, re.I):
            if prefixes.setdefault(prefix, namespace) != namespace:
                raise QueryError(f"the rule declares the prefix {prefix}: for two namespaces")
        return prefixes, update[insert.start():]


@dataclass(frozen=True)
class _Operation:
    """A small operation on one graph, ``template`` with ``{g}`` for the graph."""

    graph: str
    template: str
    drop: bool = False  # this operation empties the graph

    def text(self, rename: Rename) -> str:
        return self.template.format(g=_ref(rename(self.graph)))


Step = _Data | _Rule | _Operation


@dataclass(frozen=True)
class StagedChanges:
    """A change as small requests: ``copies`` (live graphs copied to their staging graphs),
    ``pieces`` (the quads and the steps on those graphs, on the staging graphs, in order: update
    requests, and inserts as :class:`Load` when asked for), then
    ``switch`` (one request that replaces each live graph by its staging graph, then runs the
    other steps); ``staging`` lists the staging graphs."""

    copies: str | None
    pieces: list[str | Load]
    switch: str
    staging: list[str]


class RemoteChanges:
    """One change to a remote store: its steps run in the order added.

    :meth:`text` is the change as one SPARQL Update request; :meth:`staged` as small ones.
    """

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def drop_graph(self, graph: str) -> None:
        self.steps.append(_Operation(graph, "DROP SILENT GRAPH {g}", drop=True))

    def insert(self, quads: Iterable[Quad]) -> None:
        self._data("INSERT", quads)

    def delete(self, quads: Iterable[Quad]) -> None:
        self._data("DELETE", quads)

    def delete_where(self, subject: IRI, predicate: IRI, graph: str) -> None:
        """Delete every value of ``subject``'s ``predicate`` in ``graph``."""
        s, p = sparql_term(subject), sparql_term(predicate)
        self.steps.append(_Operation(graph, f"DELETE WHERE {{{{ GRAPH {{g}} {{{{ {s} {p} ?value }}}} }}}}"))

    def update_graph(self, graph: str, template: str) -> None:
        """Run the update ``template`` on ``graph`` (``{g}`` in it stands for the graph; other
        braces doubled, as :meth:`str.format` wants them)."""
        self.steps.append(_Operation(graph, template))

    def drop_copies(self, graph: str, prefix: str) -> None:
        """Delete from ``graph`` the triples that a graph whose name starts with ``prefix`` also holds."""
        start = sparql_term(Literal(prefix, XSD + "string"))
        self.steps.append(_Operation(graph, "DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                                            f"GRAPH ?g {{{{ ?s ?p ?o }}}} FILTER (STRSTARTS(STR(?g), {start})) }}}}"))

    def rule(self, construct: str, graph: str, inputs: Iterable[str], *, union: bool = False) -> None:
        """Run a CONSTRUCT rule into ``graph``, its WHERE reading the graphs ``inputs`` (named
        with USING, unless ``union``: the server's default graph is the union of every graph)."""
        step = _Rule(construct, graph, tuple(inputs), union)
        step.parts()  # refuse a rule that cannot be sent, now
        self.steps.append(step)

    def _data(self, verb: str, quads: Iterable[Quad]) -> None:
        by_graph: dict[str | None, list[tuple[str, bool]]] = {}
        for s, p, o, g in quads:
            line = f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ."
            by_graph.setdefault(g, []).append((line, isinstance(s, BNode) or isinstance(o, BNode)))
        for graph, rows in by_graph.items():
            self.steps.append(_Data(verb, graph, tuple(line for line, _ in rows), tuple(b for _, b in rows)))

    def triples(self) -> int:
        """How many triples the change inserts or deletes by value."""
        return sum(len(step.lines) for step in self.steps if isinstance(step, _Data))

    def text(self) -> str:
        """The change as one SPARQL Update request."""
        return self._request([step.text(str) if not isinstance(step, _Rule) else step for step in self.steps])

    @staticmethod
    def _request(operations: list[str | _Rule]) -> str:
        """One request of ``operations``, the rules' prefixes declared once at its start."""
        prefixes: dict[str, str] = {}
        texts = []
        for operation in operations:
            if isinstance(operation, _Rule):
                declared, operation = operation.parts()
                for prefix, namespace in declared.items():
                    if prefixes.setdefault(prefix, namespace) != namespace:
                        raise QueryError(f"the rules declare the prefix {prefix}: for two namespaces")
            texts.append(operation)
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + " ;\n".join(texts)

    def staged(self, run: str, *, piece: int, load: int | None = None) -> StagedChanges:
        """The change as requests of at most ``piece`` triples each on staging graphs named
        after ``run``, and one last request that switches them in and runs the other steps.
        With ``load``, inserts are :class:`Load` pieces of that many triples (for a server with
        the Graph Store Protocol, which takes far more triples per request than INSERT DATA)."""
        staging: dict[str, str] = {}  # graphs that receive quads -> their staging graphs
        fresh: set[str] = set()  # of those, the graphs the change drops before anything else
        for step in self.steps:
            if isinstance(step, _Data):
                if step.graph is None:
                    raise StoreError("a change sent in pieces must name the graph of every quad")
                staging.setdefault(step.graph, f"{STAGING}{run}/{len(staging)}")
        for graph in staging:
            first = next(step for step in self.steps if step.graph == graph)
            if isinstance(first, _Operation) and first.drop:
                fresh.add(graph)

        def rename(graph: str) -> str:
            return staging.get(graph, graph)

        copies = [f"COPY SILENT GRAPH {_ref(g)} TO GRAPH {_ref(s)}" for g, s in staging.items() if g not in fresh]
        pieces: list[str | Load] = []
        last: list[str | _Rule] = [f"DROP SILENT GRAPH {_ref(g)} ;\nMOVE SILENT GRAPH {_ref(s)} TO GRAPH {_ref(g)}"
                                   for g, s in staging.items()]
        for step in self.steps:
            if isinstance(step, _Data):
                pieces.extend(step.pieces(rename, piece, load))
            elif isinstance(step, _Rule):  # reads the live graphs, after the switch
                last.append(step)
            elif step.graph not in staging:
                last.append(step.text(str))
            elif step is not self._first(step.graph) or step.graph not in fresh:  # a fresh staging graph is empty
                pieces.append(step.text(rename))
        return StagedChanges(" ;\n".join(copies) or None, pieces, self._request(last), list(staging.values()))

    def _first(self, graph: str) -> Step:
        return next(step for step in self.steps if step.graph == graph)

    def __bool__(self) -> bool:
        return bool(self.steps)
