"""Who said what: the statements, sources and events behind the edges of a network page.

Everything is read through the store interface (``store.query(sparql, bindings=...)``). A few
items are looked up one by one with the item bound as a parameter; beyond ``bulk_limit`` items
one query reads every statement (or event) and the rows are filtered in Python, which is
faster than thousands of bound queries.

Examples
--------
>>> from pathlib import Path
>>> from conflictgraph.build.pipeline import build_store
>>> from conflictgraph.network.projection import project
>>> store, _ = build_store(":memory:", graph_dirs=(FIXTURE_NETWORK,), bundled=False)
>>> net = project(store)
>>> ids = sorted({s for *_e, d in net.edges(data=True) for s in d["statements"]})
>>> found = statement_details(store, ids)
>>> sorted({d["source"]["title"] for d in found.values()})
['Network fixture: first report', 'Network fixture: second report']
"""
from __future__ import annotations

from collections.abc import Iterable

from conflictgraph.rdf.namespaces import CG, DATASET_GRAPHS, SPARQL_PREFIXES
from conflictgraph.rdf.terms import IRI, Literal, Term
from conflictgraph.store.base import Store

__all__ = ["BULK_LIMIT", "statement_details", "source_details", "event_details", "data_summary"]

BULK_LIMIT = 300

_STATEMENT = SPARQL_PREFIXES + """
SELECT ?stmt ?speaker ?speakerLabel ?behalf ?behalfLabel ?voice ?date ?dateUnknown ?summary ?quote
       ?src ?title ?publisher ?publisherLabel ?issued WHERE {
  ?stmt a cg:Statement .
  OPTIONAL { ?stmt cg:speaker ?speaker . OPTIONAL { ?speaker skos:prefLabel ?speakerLabel } }
  OPTIONAL { ?stmt cg:onBehalfOf ?behalf . OPTIONAL { ?behalf skos:prefLabel ?behalfLabel } }
  OPTIONAL { ?stmt cg:voice ?voice }
  OPTIONAL { ?stmt cg:date ?date }
  OPTIONAL { ?stmt cg:dateUnknown ?dateUnknown }
  OPTIONAL { ?stmt cg:summary ?summary }
  OPTIONAL { ?stmt cg:quote ?quote }
  OPTIONAL { ?stmt cg:reportedIn ?src .
             OPTIONAL { ?src dct:title ?title }
             OPTIONAL { ?src dct:publisher ?publisher . OPTIONAL { ?publisher skos:prefLabel ?publisherLabel } }
             OPTIONAL { ?src dct:issued ?issued } }
}"""

_EVENT = SPARQL_PREFIXES + """
SELECT ?event ?label ?date ?earliest ?latest WHERE {
  ?event a ?type . ?type rdfs:subClassOf* cg:Event .
  OPTIONAL { ?event skos:prefLabel ?label }
  OPTIONAL { ?event cg:date ?date }
  OPTIONAL { ?event cg:earliest ?earliest }
  OPTIONAL { ?event cg:latest ?latest }
}"""

# Every source with its kind: a reference file, an imported dataset (its Source node lives in
# the dataset's graph) or a document.
_SOURCES = SPARQL_PREFIXES + """
SELECT ?src ?reference ?dataset ?issued WHERE {
  ?src a cg:Source .
  BIND (EXISTS { ?src a cg:ReferenceSource } AS ?reference)
  BIND (EXISTS { GRAPH ?g { ?src a cg:Source } FILTER(STRSTARTS(STR(?g), "%s")) } AS ?dataset)
  OPTIONAL { ?src dct:issued ?issued }
}""" % DATASET_GRAPHS

_SOURCE = SPARQL_PREFIXES + """
SELECT ?src ?title ?publisher ?publisherLabel ?issued WHERE {
  ?src a cg:Source .
  OPTIONAL { ?src dct:title ?title }
  OPTIONAL { ?src dct:publisher ?publisher . OPTIONAL { ?publisher skos:prefLabel ?publisherLabel } }
  OPTIONAL { ?src dct:issued ?issued }
}"""


def _text(term: Term | None) -> str | None:
    return None if term is None else str(term)


def _pick(current: str | None, term: Term | None) -> str | None:
    """Keep the first English or untagged literal; another language only until one appears.

    >>> burmese = _pick(None, Literal("x", lang="my"))
    >>> _clean(burmese), _pick(burmese, Literal("y", lang="en")), _pick("y", Literal("z", lang="en"))
    ('x', 'y', 'y')
    """
    if term is None:
        return current
    value = str(term)
    english = getattr(term, "lang", None) in (None, "", "en")
    if current is None:
        return value if english else "\x00" + value  # marked: not English, may be replaced
    if current.startswith("\x00") and english:
        return value
    return current


def _clean(value: str | None) -> str | None:
    return value[1:] if value is not None and value.startswith("\x00") else value


def _rows(store: Store, query: str, variable: str, ids: list[str], bulk_limit: int) -> Iterable[dict]:
    if not ids:
        return []
    if len(ids) > bulk_limit:
        wanted = set(ids)
        return [row for row in store.query(query) if str(row[variable]) in wanted]
    rows: list[dict] = []
    for item in ids:
        rows.extend(store.query(query, bindings={variable: IRI(item)}).rows)
    return rows


def _add_source(source: dict | None, row: dict) -> dict:
    """Fold one row's ``src``, ``title``, ``publisher(Label)`` and ``issued`` into ``source``."""
    source = source or {"iri": str(row["src"]), "title": None, "publisher": None, "issued": None}
    source["title"] = _pick(source["title"], row.get("title"))
    publisher = row.get("publisherLabel") if row.get("publisherLabel") is not None else (
        row.get("publisher") if isinstance(row.get("publisher"), Literal) else None)
    source["publisher"] = _pick(source["publisher"], publisher)
    source["issued"] = source["issued"] or _text(row.get("issued"))
    return source


def _clean_source(source: dict) -> dict:
    for key in ("title", "publisher"):
        source[key] = _clean(source[key])
    return source


def source_details(store: Store, ids: Iterable[str], *, bulk_limit: int = BULK_LIMIT) -> dict[str, dict]:
    """Title, publisher and date of each source: ``{iri: {"iri", "title", "publisher", "issued"}}``.

    An imported dataset's Source (what its events cite) has a title and publisher like any report.

    >>> from pathlib import Path
    >>> from conflictgraph.build.pipeline import build_store
    >>> store, _ = build_store(":memory:", graph_dirs=(FIXTURE_NETWORK,), bundled=False)
    >>> [s["title"] for s in source_details(store, ["https://w3id.org/conflictgraph/id/src/net-report-a"]).values()]
    ['Network fixture: first report']
    """
    found: dict[str, dict] = {}
    for row in _rows(store, _SOURCE, "src", sorted(set(ids)), bulk_limit):
        found[str(row["src"])] = _add_source(found.get(str(row["src"])), row)
    return {iri: _clean_source(source) for iri, source in found.items()}


def statement_details(store: Store, ids: Iterable[str], *, bulk_limit: int = BULK_LIMIT) -> dict[str, dict]:
    """What each statement says and where it was reported.

    Parameters
    ----------
    store : Store
        Read through ``store.query``.
    ids : iterable of str
        Statement IRIs (an edge's ``statements``).
    bulk_limit : int
        Beyond this many statements, one query reads them all.

    Returns
    -------
    dict
        ``{iri: {"speaker", "speaker_iri", "behalf", "behalf_iri", "voice", "date", "summary",
        "quote", "source": {"iri", "title", "publisher", "issued"}}}``; absent values are None.
        ``voice`` is ``"report"`` when the report itself says it.

    Examples
    --------
    >>> statement_details(None, [])
    {}
    """
    ids = sorted(set(ids))
    found: dict[str, dict] = {}
    for row in _rows(store, _STATEMENT, "stmt", ids, bulk_limit):
        iri = str(row["stmt"])
        item = found.setdefault(iri, {"speaker": None, "speaker_iri": None, "behalf": None, "behalf_iri": None,
                                      "voice": None, "date": None, "summary": None, "quote": None,
                                      "source": None})
        if row.get("speaker") is not None:
            item["speaker_iri"] = str(row["speaker"])
            item["speaker"] = _pick(item["speaker"], row.get("speakerLabel"))
        if row.get("behalf") is not None:
            item["behalf_iri"] = str(row["behalf"])
            item["behalf"] = _pick(item["behalf"], row.get("behalfLabel"))
        if row.get("voice") is not None:
            item["voice"] = "report" if str(row["voice"]) == CG.ReportVoice else str(row["voice"]).rsplit("#", 1)[-1]
        if row.get("date") is not None:
            item["date"] = str(row["date"])
        elif row.get("dateUnknown") is not None and item["date"] is None:
            item["date"] = "unknown"
        item["summary"] = _pick(item["summary"], row.get("summary"))
        item["quote"] = _pick(item["quote"], row.get("quote"))
        if row.get("src") is not None:
            item["source"] = _add_source(item["source"], row)
    for item in found.values():
        for key in ("speaker", "behalf", "summary", "quote"):
            item[key] = _clean(item[key])
        if item["source"]:
            _clean_source(item["source"])
        if item["speaker"] is None and item["speaker_iri"]:
            item["speaker"] = item["speaker_iri"].rsplit("/", 1)[-1]
        if item["behalf"] is None and item["behalf_iri"]:
            item["behalf"] = item["behalf_iri"].rsplit("/", 1)[-1]
    return found


def event_details(store: Store, ids: Iterable[str], *, bulk_limit: int = BULK_LIMIT) -> dict[str, dict]:
    """Label and date of each event: ``{iri: {"label", "date"}}`` (date: the stated one, else
    the earliest..latest bounds).

    >>> event_details(None, [])
    {}
    """
    ids = sorted(set(ids))
    found: dict[str, dict] = {}
    for row in _rows(store, _EVENT, "event", ids, bulk_limit):
        iri = str(row["event"])
        item = found.setdefault(iri, {"label": None, "date": None})
        item["label"] = _pick(item["label"], row.get("label"))
        if item["date"] is None:
            if row.get("date") is not None:
                item["date"] = str(row["date"])
            elif row.get("earliest") is not None:
                low, high = str(row["earliest"])[:10], _text(row.get("latest"))
                item["date"] = low if not high or high[:10] == low else f"{low}..{high[:10]}"
    for iri, item in found.items():
        item["label"] = _clean(item["label"]) or iri.rsplit("/", 1)[-1]
    return found


def data_summary(store: Store) -> str:
    """One phrase saying what data a store holds: source documents, reference files, datasets.

    >>> from pathlib import Path
    >>> from conflictgraph.build.pipeline import build_store
    >>> store, _ = build_store(":memory:", graph_dirs=(FIXTURE_NETWORK,), bundled=False)
    >>> data_summary(store)
    '2 source documents (newest issued 2024-01) and 1 reference file'
    """
    documents, references, newest = 0, 0, None
    for row in store.query(_SOURCES):
        if str(row["reference"]) in ("true", "1"):
            references += 1
        elif str(row["dataset"]) not in ("true", "1"):  # a dataset is named below, by its graph
            documents += 1
            if row.get("issued") is not None and (newest is None or str(row["issued"]) > newest):
                newest = str(row["issued"])
    parts = [f"{documents} source document{'s' if documents != 1 else ''}"
             + (f" (newest issued {newest})" if newest else "")]
    if references:
        parts.append(f"{references} reference file{'s' if references != 1 else ''}")
    datasets = sorted({str(g)[len(DATASET_GRAPHS):].split("/")[0] for g in store.named_graphs()
                       if str(g).startswith(DATASET_GRAPHS)} - {""})
    if datasets:
        parts.append("imported dataset" + ("s " if len(datasets) > 1 else " ") + ", ".join(datasets))
    return " and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1]
