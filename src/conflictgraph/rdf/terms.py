"""Plain RDF terms that every store backend returns, so no caller depends on an engine.

Examples
--------
>>> IRI("https://w3id.org/conflictgraph/id/actor/ka").short
'actor:ka'
>>> Literal("2023-11-07", datatype=XSD + "date").value
'2023-11-07'
>>> str(Literal("Loikaw", lang="en"))
'Loikaw'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from conflictgraph.rdf.namespaces import shorten

__all__ = ["IRI", "BNode", "Literal", "Term", "XSD", "as_node", "as_python", "cell_text", "lexical", "to_rdflib"]

XSD = "http://www.w3.org/2001/XMLSchema#"


class IRI(str):
    """An IRI; a ``str`` so it can be used as a dictionary key or a networkx node id."""

    __slots__ = ()

    @property
    def short(self) -> str:
        return shorten(self)

    def __repr__(self) -> str:
        return f"IRI({str(self)!r})"


class BNode(str):
    """A blank node label (only ever seen in CONSTRUCT results)."""

    __slots__ = ()


@dataclass(frozen=True, order=True)
class Literal:
    """A literal with an optional datatype IRI or language tag."""

    value: str
    datatype: str | None = None
    lang: str | None = None

    def __str__(self) -> str:
        return self.value


Term = IRI | BNode | Literal

_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


def as_node(term: Term | None) -> IRI | BNode:
    """``term``, for a query variable that its pattern always binds to an IRI or a blank node (a
    predicate, a class, a subject); anything else means the query and its reader disagree.

    >>> as_node(IRI("https://w3id.org/conflictgraph/id/actor/ka"))
    IRI('https://w3id.org/conflictgraph/id/actor/ka')
    """
    if isinstance(term, (IRI, BNode)):
        return term
    raise TypeError(f"expected an IRI or a blank node, got {term!r}")


def lexical(term: Term | None) -> str:
    """The text of ``term``, for a query variable that its pattern always binds to a literal (a
    count, a date, a hash); anything else means the query and its reader disagree.

    >>> lexical(Literal("3", datatype=XSD + "integer"))
    '3'
    """
    if isinstance(term, Literal):
        return term.value
    raise TypeError(f"expected a literal, got {term!r}")


def as_python(term: Term | None) -> object:
    """Turn a term into a plain Python value for JSON: numbers stay numbers, the rest text.

    >>> as_python(Literal("42", datatype=XSD + "integer"))
    42
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in _INTEGER_TYPES:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if term.datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            try:
                number = float(term.value)
                return int(number) if number.is_integer() and term.datatype == XSD + "decimal" else number
            except ValueError:
                return term.value
        if term.datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    return str(term)


def to_rdflib(term: Term) -> Any:
    """The same term as rdflib's (for serializing with rdflib); ``xsd:string`` literals plain.

    >>> to_rdflib(Literal("3", XSD + "integer")).toPython(), to_rdflib(Literal("Loikaw", lang="en")).language
    (3, 'en')
    """
    import rdflib

    if isinstance(term, Literal):
        datatype = None if term.lang or term.datatype in (None, XSD + "string") else rdflib.URIRef(term.datatype)
        return rdflib.Literal(term.value, lang=term.lang, datatype=datatype)
    if isinstance(term, BNode):
        return rdflib.BNode(str(term))
    return rdflib.URIRef(str(term))


def cell_text(value: object, *, short: bool = True) -> str:
    """How a value reads in a text cell: IRIs shortened to prefix:name (also inside text), lists
    joined by "; ", None as empty; ``short=False`` keeps full IRIs (for CSV).

    >>> cell_text([IRI("https://w3id.org/conflictgraph/id/src/a"), None]), cell_text(Literal("3", XSD + "integer"))
    ('src:a; ', '3')
    """
    if value is None:
        return ""
    if isinstance(value, IRI):
        return value.short if short else str(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v, short=short) for v in value)
    text = value.value if isinstance(value, Literal) else str(value)
    return _IRI_IN_TEXT.sub(lambda m: shorten(m.group(0)), text) if short else text


_IRI_IN_TEXT = re.compile(r"https://w3id\.org/conflictgraph/[^\s\"<>]+")
