"""Claims and disagreements between sources, as tables.

Examples
--------
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> table = claims(store)
>>> table.title, "claimantLabel" in table.columns
('Claims', True)
"""
from __future__ import annotations

import re

from conflictgraph.query.catalog import load_catalog
from conflictgraph.query.results import Table, merge_rows
from conflictgraph.rdf.terms import cell_text
from conflictgraph.store.base import Store

__all__ = ["claims", "disagreements", "readable_disagreements"]

# A claim row repeats per actor it is about, claimant, speaker and principal: merged into one.
_MANY = ["about", "aboutLabel", "claimant", "claimantLabel", "speakerLabel", "onBehalfOfLabel"]


def claims(store: Store, *, about: str | None = None, claimant: str | None = None) -> Table:
    """Every claim with claimant, speaker, date, value, status and source; one row per claim
    and statement. ``about`` and ``claimant`` (IRIs) keep the claims about or by one entity."""
    result = store.query(load_catalog()["claims"].text)
    rows = result.rows
    for wanted, column in ((about, "about"), (claimant, "claimant")):
        if wanted:
            kept = {str(r["claim"]) for r in rows if r[column] == wanted}
            rows = [r for r in rows if str(r["claim"]) in kept]
    return Table(merge_rows(rows, _MANY), columns=result.variables, title="Claims")


def disagreements(store: Store) -> Table:
    """Every disagreement between sources (values, dates, participants), each side sourced."""
    result = store.query(load_catalog()["disagreements"].text)
    return Table(result.rows, columns=result.variables, title="Disagreements between sources")


def readable_disagreements(table: Table) -> Table:
    """The disagreements as three columns for reading: what, one side, other side.

    >>> from conflictgraph.rdf.terms import IRI, Literal
    >>> row = {"subjectLabel": Literal("KNPP"), "kind": Literal("founding date"), "value": Literal("1953"),
    ...        "source": IRI("https://w3id.org/conflictgraph/id/src/a"), "statement": None,
    ...        "otherValue": Literal("1957"), "otherSource": IRI("https://w3id.org/conflictgraph/id/src/b")}
    >>> readable_disagreements(Table([row])).rows[0]["other side"]
    '1957, in src:b ()'
    """
    rows = [{"what": f"{_cell(r, 'subjectLabel')}: {_cell(r, 'quantityLabel') or _cell(r, 'kind')}",
             "one side": _side(r, ""), "other side": _side(r, "other")} for r in table.rows]
    return Table(rows, columns=["what", "one side", "other side"], title=table.title)


def _cell(row: dict, key: str) -> str:
    return cell_text(row.get(key))


def _side(row: dict, prefix: str) -> str:
    """One side of a disagreement in a line: value, as-of date, claimant, source."""
    def key(name: str) -> str:
        return prefix + name[0].upper() + name[1:] if prefix else name
    comparator = re.sub(r"(?<!^)([A-Z])", r" \1", _cell(row, key("comparator")).removeprefix("cg:")).lower()
    value = " ".join(x for x in (comparator, _cell(row, key("value"))) if x)
    parts = [value or "?"]
    if _cell(row, key("asOf")):
        parts.append(f"as of {_cell(row, key('asOf'))}")
    if _cell(row, key("claimantLabel")):
        parts.append(f"by {_cell(row, key('claimantLabel'))}")
    parts.append(f"in {_cell(row, key('source'))} ({_cell(row, key('statement'))})")
    return ", ".join(parts)
