"""Read graph folders (a manifest, source files, reference files) into named-graph quads.

A folder holds ``sources.ttl`` (one cg:Source per file), ``sources/*.trig`` (one named graph
each, named by its source IRI) and ``reference/*.ttl`` (cg:ReferenceSource files, loaded into
the shared reference graph). See graph/README.md.

Examples
--------
>>> from conflictgraph.bundled import bundled_graph_dir
>>> from conflictgraph.build.ontology import load_ontology
>>> loaded = load_folders([bundled_graph_dir()], load_ontology())
>>> "https://w3id.org/conflictgraph/id/src/irrawaddy-2023-11-03" in loaded.sources
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from conflictgraph.build.ontology import Ontology
from conflictgraph.build.parse import FORMATS, parse_file, skolemize
from conflictgraph.errors import ParseError
from conflictgraph.rdf.namespaces import CG, GRAPH_REFERENCE, RDF_TYPE

__all__ = ["LoadedGraph", "load_folders", "load_files", "MANIFEST"]

MANIFEST = "sources.ttl"


@dataclass
class LoadedGraph:
    """Quads ready for the store, and where each node came from.

    ``origin`` maps a node IRI to the files that describe it (as subject), so a validation
    finding about a node can name its file. ``sources`` maps source IRI -> file. ``findings``
    holds what validation found, once it ran.
    """

    quads: list[ox.Quad] = field(default_factory=list)
    origin: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    findings: list = field(default_factory=list)

    def add(self, quads: list[ox.Quad], file: str) -> None:
        self.quads.extend(quads)
        self.files.append(file)
        for q in quads:
            if isinstance(q.subject, ox.NamedNode):
                files = self.origin.setdefault(q.subject.value, [])
                if file not in files:
                    files.append(file)


def load_folders(folders: list[Path], ontology: Ontology) -> LoadedGraph:
    """Load every folder's manifest and files; refuse inconsistencies with a clear message."""
    loaded = LoadedGraph()
    for folder in folders:
        _load_folder(Path(folder), ontology, loaded)
    return loaded


def load_files(paths: list[Path], ontology: Ontology, loaded: LoadedGraph | None = None) -> LoadedGraph:
    """Load loose files (for ``validate FILES``): TriG keeps its graphs, triples go to a graph per file."""
    loaded = loaded or LoadedGraph()
    for path in paths:
        path = Path(path)
        quads = parse_file(path, graph=path.resolve().as_uri())
        loaded.add(_skolem(quads, ontology, path), str(path))
    return loaded


def _skolem(quads: list[ox.Quad], ontology: Ontology, path: Path) -> list[ox.Quad]:
    """Name the blank nodes of one file's quads; a structure too deep or tangled is a ParseError."""
    try:
        return skolemize(quads, tie_classes=ontology.tie_classes, event_classes=ontology.event_classes)
    except ValueError as err:
        raise ParseError(str(path), str(err)) from None


def _load_folder(folder: Path, ontology: Ontology, loaded: LoadedGraph) -> None:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise ParseError(str(folder), f"not a graph folder: {MANIFEST} is missing")
    manifest_quads = parse_file(manifest)
    by_subject: dict[str, list[ox.Quad]] = {}
    for q in manifest_quads:
        if not isinstance(q.subject, ox.NamedNode):
            raise ParseError(str(manifest), "blank nodes are not allowed at the top level of the manifest")
        by_subject.setdefault(q.subject.value, []).append(q)

    listed: set[Path] = set()
    for source, quads in sorted(by_subject.items()):
        # (an RDF 1.2 triple term, which has no value, is never a kind or a file name)
        kinds = {q.object.value for q in quads if q.predicate.value == RDF_TYPE and not isinstance(q.object, ox.Triple)}
        files = [q.object.value for q in quads if q.predicate.value == CG.file and not isinstance(q.object, ox.Triple)]
        if CG.Source not in kinds and CG.ReferenceSource not in kinds:
            raise ParseError(str(manifest), f"<{source}> is not a cg:Source; the manifest describes sources only")
        if len(files) != 1:
            raise ParseError(str(manifest), f"<{source}> needs exactly one cg:file (has {len(files)})")
        if source in loaded.sources:
            raise ParseError(str(manifest), f"source <{source}> is already defined in {loaded.sources[source]}")
        path = (folder / files[0]).resolve()
        if not path.is_relative_to(folder.resolve()):
            raise ParseError(str(manifest), f"cg:file {files[0]!r} of <{source}> points outside the folder")
        if not path.is_file():
            raise ParseError(str(manifest), f"cg:file {files[0]!r} of <{source}> does not exist")
        listed.add(path)
        loaded.sources[source] = str(path)
        if CG.ReferenceSource in kinds:
            graph = GRAPH_REFERENCE
            body = parse_file(path, graph=GRAPH_REFERENCE)
            if path.suffix.lower() in (".trig", ".nq"):
                raise ParseError(str(path), "a reference file holds triples (Turtle), not named graphs")
        else:
            graph = source
            body = parse_file(path, graph=source)
            names = {q.graph_name.value for q in body if isinstance(q.graph_name, ox.NamedNode)}
            if names - {source}:
                other = ", ".join(sorted(names - {source}))
                raise ParseError(str(path), f"this source file may hold only the graph <{source}>, found <{other}>")
            elsewhere = sorted({q.object.value for q in body if q.predicate.value == CG.reportedIn
                                and not isinstance(q.object, ox.Triple) and q.object.value != source})
            if elsewhere:
                raise ParseError(str(path), f"statements in the graph of <{source}> must be cg:reportedIn that "
                                            f"source, not <{elsewhere[0]}>")
        metadata = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph)) for q in quads]
        loaded.add(metadata, str(manifest))
        loaded.add(_skolem(body, ontology, path), str(path))

    for sub in ("sources", "reference"):
        for path in sorted((folder / sub).glob("*")):
            if path.suffix.lower() in FORMATS and path.resolve() not in listed:
                raise ParseError(str(path), f"this file is not listed in {manifest} (add a cg:Source with cg:file)")
