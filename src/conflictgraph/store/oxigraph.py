"""The embedded backend: pyoxigraph, in memory or on disk.

Examples
--------
>>> from conflictgraph.rdf.terms import IRI, Literal
>>> store = OxigraphStore.in_memory()
>>> store.add_quads([(IRI("http://ex/a"), IRI("http://ex/p"), Literal("x"), "http://ex/g")])
>>> store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": IRI("http://ex/a")}).rows
[{'o': Literal(value='x', datatype='http://www.w3.org/2001/XMLSchema#string', lang=None)}]
"""
from __future__ import annotations

import gc
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import overload

import pyoxigraph as ox

from conflictgraph.errors import QueryError, StoreError, disk_error
from conflictgraph.rdf.sparql_text import BAD_IRI, declares_dataset, inject_values
from conflictgraph.rdf.terms import IRI, BNode, Literal, Term
from conflictgraph.store.base import Capabilities, Dataset, Quad, QueryResult, ResultStream

__all__ = ["OxigraphStore", "open_store", "to_ox", "from_ox"]


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Our term -> pyoxigraph term."""
    if isinstance(term, Literal):
        if term.lang:
            return ox.Literal(term.value, language=term.lang)
        if term.datatype:
            return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term.value)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


@overload
def from_ox(term: None) -> None: ...
@overload
def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term: ...
def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Term | None:
    """pyoxigraph term -> our term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return Literal(term.value, term.datatype.value if not term.language else None, term.language)
    raise TypeError(f"unsupported term {term!r}")


class _Converter:
    """:func:`from_ox` with a memory: results repeat the same terms (predicates, dates, actors)
    across many rows, and our terms are immutable, so each distinct term is converted once
    (measured: a 228,000-row result converts in 0.3 s instead of 2.9 s). The memory is bounded,
    so an answer read as it comes keeps a flat size: it forgets everything at ``KEEP`` terms, and
    never keeps literals longer than ``LONG`` characters (they seldom repeat).

    >>> convert = _Converter()
    >>> convert(ox.Literal("a")) is convert(ox.Literal("a")), convert(ox.Literal("a" * 300)) is None
    (True, False)
    """

    KEEP, LONG = 1 << 16, 256

    def __init__(self) -> None:
        self._seen: dict = {}

    def __call__(self, term):
        converted = self._seen.get(term)
        if converted is None and term is not None:
            converted = from_ox(term)
            if not (isinstance(term, ox.Literal) and len(term.value) > self.LONG):
                if len(self._seen) >= self.KEEP:
                    self._seen.clear()
                self._seen[term] = converted
        return converted


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(value: str) -> str:
    if BAD_IRI.search(value):
        raise StoreError(f"not a valid IRI: {value!r}")
    return value


def _nq(term: Term) -> str:
    """One term in N-Quads syntax; literal text is escaped, so it can never end the literal."""
    if isinstance(term, Literal):
        text = '"' + term.value.translate(_ESCAPES) + '"'
        if term.lang:
            return text + "@" + _iri(term.lang)
        return text + (f"^^<{_iri(term.datatype)}>" if term.datatype else "")
    if isinstance(term, BNode):
        return "_:" + re.sub(r"[^A-Za-z0-9_]", "_", str(term))
    return f"<{_iri(term)}>"


def _values_block(substitutions: dict) -> str:
    """A VALUES clause binding each variable to its (pyoxigraph-serialized) term."""
    names = " ".join(str(v) for v in substitutions)
    values = " ".join(str(t) for t in substitutions.values())
    return f"VALUES ({names}) {{ ({values}) }}"


def _graph_name(graph) -> str | None:
    return None if isinstance(graph, ox.DefaultGraph) else graph.value


class OxigraphStore:
    """A pyoxigraph store behind the :class:`conflictgraph.store.Store` interface."""

    def __init__(self, inner: ox.Store, *, path: Path | None = None, read_only: bool = False):
        self._inner, self.path, self.read_only = inner, path, read_only
        on_disk = path is not None
        self.capabilities = Capabilities(persistent=on_disk, backup=on_disk, compact=on_disk, local_files=True)

    @classmethod
    def in_memory(cls) -> OxigraphStore:
        return cls(ox.Store())

    @classmethod
    def open_dir(cls, path: Path, *, read_only: bool) -> OxigraphStore:
        """Open the RocksDB folder at ``path``; read-only opens never take the writer's lock."""
        try:
            inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as err:
            raise disk_error(err, path) or StoreError(f"cannot open the store at {path}: {err}") from None
        return cls(inner, path=path, read_only=read_only)

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              dataset: Dataset | None = None) -> QueryResult:
        """Run ``sparql`` with ``bindings`` applied by the engine, over ``dataset``, else the
        dataset its FROM clauses name, else the union of all graphs (see :class:`Dataset`); the
        whole answer (see :meth:`iter_query`)."""
        return self.iter_query(sparql, bindings=bindings, dataset=dataset).collect()

    def iter_query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
                   dataset: Dataset | None = None) -> ResultStream:
        """The answer to ``sparql`` as the engine produces it (see :meth:`query`): the engine
        works out each row or triple only when it is read.

        Bindings go in as pyoxigraph substitutions. pyoxigraph only substitutes variables that
        a SELECT projects; for the others the bound terms (already validated pyoxigraph terms,
        serialized by pyoxigraph) go in as a VALUES block at the start of the WHERE group
        (:func:`conflictgraph.rdf.sparql_text.inject_values`). There it binds before the rest is
        evaluated, and before any grouping; a VALUES block after the query would be joined
        last: the engine would first answer for every entity (measured: ``show`` of one actor
        on a store of 100,000 events, 8 s instead of well under one).
        """
        try:
            substitutions = {ox.Variable(name): to_ox(value) for name, value in (bindings or {}).items()}
        except (ValueError, TypeError) as err:
            raise QueryError(f"not a valid RDF term among the bound values: {err}") from None
        try:
            result = self._run(sparql, substitutions, dataset)
        except RuntimeError as err:
            if "projection" not in str(err):
                raise QueryError(f"the query failed: {err}") from None
            result = self._run(inject_values(sparql, _values_block(substitutions)), {}, dataset)
        if isinstance(result, ox.QueryBoolean):
            return ResultStream(kind="ask", boolean=bool(result))
        convert = _Converter()
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = (dict(zip(variables, map(convert, solution))) for solution in result)
            return ResultStream(kind="select", variables=variables, items=rows)
        triples = ((convert(t.subject), convert(t.predicate), convert(t.object)) for t in result)
        return ResultStream(kind="construct", items=triples)

    def select_values(self, sparql: str) -> Iterator[tuple[str | None, ...]]:
        """The rows of a SELECT as the lexical values of their terms (None when unbound), without
        turning them into conflictgraph terms: for reading many rows (100,000 events grouped one
        row each: 1.3 s of 5.3 s was that conversion)."""
        result = self._run(sparql, {})
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("select_values needs a SELECT query")
        for solution in result:
            yield tuple(None if term is None else term.value for term in solution)

    def _run(self, sparql: str, substitutions: dict, dataset: Dataset | None = None):
        default: list | None = None
        named: list | None = None
        if dataset is not None:  # the engine's own parameters override the query's FROM clauses
            try:
                default = [ox.NamedNode(g) for g in dataset.default]
                named = [ox.NamedNode(g) for g in dataset.named]
            except ValueError as err:
                raise QueryError(f"not a valid graph IRI in the dataset: {err}") from None
        # pyoxigraph's union flag would override FROM: set it only for queries without a dataset
        union = dataset is None and not declares_dataset(sparql)
        try:
            return self._inner.query(sparql, substitutions=substitutions or None, use_default_graph_as_union=union,
                                     default_graph=default, named_graphs=named)
        except SyntaxError as err:
            raise QueryError(f"the query does not parse: {err}") from None
        except OSError as err:
            raise QueryError(f"the query failed: {err}") from None

    def add_quads(self, quads: Iterable[Quad]) -> None:
        self._check_writable()
        batch = [
            # A quad types its subject and predicate as any term; pyoxigraph refuses (TypeError) a
            # literal subject or a predicate that is not an IRI, as it should.
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g) if g else ox.DefaultGraph())  # type: ignore[arg-type]
            for s, p, o, g in quads
        ]
        self._inner.extend(batch)

    def add_ox_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Fast path for the build: quads already in pyoxigraph form."""
        self._check_writable()
        self._inner.bulk_extend(quads)

    def load_quads(self, quads: Iterable[Quad]) -> None:
        """Bulk-load many quads (not transactional: for a store being written, not one being read).

        The quads are written as N-Quads text (IRIs checked, literals escaped) and parsed by
        pyoxigraph's bulk loader, which is several times faster than building term objects.
        """
        self._check_writable()
        names: dict[str, str] = {}  # IRIs repeat (predicates, classes, actors): check each once

        def nq(term: Term) -> str:
            if isinstance(term, (Literal, BNode)):
                return _nq(term)
            found = names.get(term)
            if found is None:
                found = names[term] = _nq(term)
            return found

        lines = [f"{nq(s)} {nq(p)} {nq(o)} {nq(IRI(g))} .\n" if g else f"{nq(s)} {nq(p)} {nq(o)} .\n"
                 for s, p, o, g in quads]
        if lines:
            self._inner.bulk_load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def load_nquads_file(self, path: Path, graphs: Iterable[str] = ()) -> None:
        """Bulk-load an N-Quads file (not transactional, like :meth:`load_quads`).

        For files written by trusted code whose terms are already checked and escaped (the
        importers' ``nt_*`` functions: every IRI refused if it has no scheme or holds a character
        N-Quads forbids, every literal escaped), so the engine skips its own IRI and language-tag
        checks (``lenient``; measured: 15% less CPU a quad, the same quads stored). ``graphs``
        names the graphs the file writes to (a store that stages changes per graph needs them;
        this one does not). Several threads may load files at once: each call writes its own
        files, and a call of up to a million quads keeps one core busy.
        """
        self._check_writable()
        try:
            self._inner.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
        except SyntaxError as err:
            raise StoreError(f"bad N-Quads in {path}: {err}") from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (transactional). Trusted, internal text only (the inference rules);
        text from outside never comes here. A pattern's default graph is the store's own default
        graph: name the graphs to read with USING."""
        self._check_writable()
        try:
            self._inner.update(sparql)
        except SyntaxError as err:
            raise QueryError(f"the update does not parse: {err}") from None
        except OSError as err:
            raise QueryError(f"the update failed: {err}") from None

    def remove_subjects(self, subjects: Iterable[str], graph: str) -> int:
        """Remove every quad in ``graph`` whose subject is one of ``subjects``; return how many."""
        self._check_writable()
        graph_node = ox.NamedNode(graph)
        doomed = [q for s in subjects for q in self._inner.quads_for_pattern(ox.NamedNode(s), None, None, graph_node)]
        for q in doomed:
            self._inner.remove(q)
        return len(doomed)

    def copy_graphs_from(self, other: OxigraphStore, graphs: Iterable[str]) -> int:
        """Copy whole named graphs from ``other`` into this store; return the number of quads."""
        self._check_writable()
        count = 0

        def counted(graph: str):
            nonlocal count
            for q in other._inner.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
                count += 1
                yield q

        for graph in graphs:
            self._inner.bulk_extend(counted(graph))  # streamed: memory does not grow with the graph
        return count

    def clear_graph(self, graph: str) -> None:
        self._check_writable()
        node = ox.NamedNode(graph)
        if self._inner.contains_named_graph(node):
            self._inner.remove_graph(node)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._inner.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        graph_node = ox.NamedNode(graph) if graph else None
        for q in self._inner.quads_for_pattern(None, None, None, graph_node):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), _graph_name(q.graph_name)

    def dump_nquads(self, path: Path) -> None:
        self._inner.dump(str(path), format=ox.RdfFormat.N_QUADS)

    def backup(self, target: Path) -> None:
        """Copy the on-disk store to ``target`` (hard links where the file system allows)."""
        self._inner.backup(str(target))

    def flush(self) -> None:
        if not self.read_only and self.path is not None:
            self._inner.flush()

    def compact(self) -> None:
        """Merge the files bulk loads left behind, so readers search a few sorted files instead
        of one per loaded chunk (measured: 100,000 imported events, queries 2.6x faster).

        Read-only opens never compact, so a writer that bulk-loaded must do it before publishing.
        """
        if not self.read_only and self.path is not None:
            self._inner.optimize()

    def close(self) -> None:
        """Flush and release the database; a writer's lock is free when this returns."""
        if self._inner is None:
            return
        self.flush()
        # pyoxigraph closes the database when the object is dropped. A closed store is not used
        # again (only close() looks, and it checks for None).
        inner, self._inner = self._inner, None  # type: ignore[assignment]
        held_elsewhere = sys.getrefcount(inner) > 2  # more than `inner` and getrefcount's argument
        del inner
        if held_elsewhere and self.path is not None and not self.read_only:
            gc.collect()  # a cycle holds it: drop it now, not at some later collection (a full
            # collection is not free: 0.4 s after importing 100,000 events, so only then)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("this store was opened read-only")


def open_store(path: str | Path | None = None, *, read_only: bool = False) -> OxigraphStore:
    """Open the Oxigraph database folder ``path``, or a fresh in-memory store when none is given."""
    if path is None:
        return OxigraphStore.in_memory()
    return OxigraphStore.open_dir(Path(path), read_only=read_only)
