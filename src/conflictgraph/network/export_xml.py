"""GraphML and GEXF text of a network, as :func:`conflictgraph.network.export.write_network` writes it.

GraphML and GEXF cannot hold lists, dicts or missing values: lists become text joined by
``"; "``, dicts JSON text, and missing values and empty lists are left out; numbers and
booleans keep their types (declared as networkx declares them: one key per scope, name and
type; numbered as met, a group of same-shaped rows at a time, so not always in networkx's order).

A million events make 860,000 edges holding 13 million values, so the text is made a column
at a time: the rows (attribute dicts) of a batch are grouped by shape (the names and types of
their values, in order), each attribute of a group becomes text for all its rows at once, and
each row is one ``%`` of a format string made for its group (:class:`_Format`).

>>> keys = Keys()
>>> print(graphml_elements(keys, "node", ['id="a"'], [{"label": "A", "aliases": ["x", "y"]}]), end="")
    <node id="a">
      <data key="d0">A</data>
      <data key="d1">x; y</data>
    </node>
>>> keys.ids
{('node', 'label', 'string'): '0', ('node', 'aliases', 'string'): '1'}
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

__all__ = ["GEXF_EDGE_FIELDS", "Keys", "attr", "gexf_edges", "gexf_nodes", "graphml_elements", "graphml_graph_data",
           "quoted"]

GEXF_EDGE_FIELDS = ("label", "weight", "start", "end")  # XML attributes of a GEXF edge, not values
_GEXF_SKIP = frozenset({*GEXF_EDGE_FIELDS, "spans"})
_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_SORTED_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_NONE = type(None)
Shape = tuple[tuple[str, ...], tuple[type, ...]]  # the names and the types of a row's values
Column = tuple[str, Sequence[Any], bool]  # key id, a text per row (None: left out), whether any is None


# Escapes ---------------------------------------------------------------------------------------

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


class _Special:
    """The characters that must be escaped in an attribute value, or in text.

    >>> _SPECIAL.found_in('a "b"'), _TEXT_SPECIAL.found_in('a "b"'), _SPECIAL.escape('a "b" & c')
    (True, False, 'a &quot;b&quot; &amp; c')
    """

    def __init__(self, characters: str):
        self.characters = characters
        self.pattern = re.compile(f"[{re.escape(characters)}]")

    def found_in(self, text: str) -> bool:
        # (a scan per character: ten times one regex search of a part's column of text)
        return any(character in text for character in self.characters)

    def escape(self, text: str) -> str:
        return self.pattern.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    return _ESCAPES[match.group()]


_SPECIAL = _Special('&<>"\n\r\t')  # in an attribute value
_TEXT_SPECIAL = _Special("&<>\r")  # in text


def _escape(texts: Sequence[Any], special: _Special = _SPECIAL) -> Sequence[Any]:
    """``texts`` (None kept) escaped for an attribute value (or, with :data:`_TEXT_SPECIAL`,
    for text); most columns need no escape, which one look at them all finds, and each
    distinct text is escaped once (JSON text of evidence counts repeats, quotes and all).

    >>> _escape(['a "b" & c', "plain", None])
    ['a &quot;b&quot; &amp; c', 'plain', None]
    """
    if not special.found_in("".join(filter(None, texts))):
        return texts
    escaped = {text: special.escape(text) for text in set(texts) if text}
    return [escaped.get(text, text) for text in texts]


def attr(value: str) -> str:
    """``value`` as a quoted XML attribute value.

    >>> attr('a "b" & c'), attr("plain")
    ('"a &quot;b&quot; &amp; c"', '"plain"')
    """
    return f'"{_SPECIAL.escape(value)}"' if _SPECIAL.found_in(value) else f'"{value}"'


def quoted(values: Iterable[Any]) -> dict[Any, str]:
    """Each of ``values`` (nodes) as a quoted XML attribute value of its text: an element's id."""
    return {value: attr(str(value)) for value in values}


# Values as text, a column at a time ---------------------------------------------------------------

class Keys:
    """The attribute declarations of a file, made as values are met: an id per (scope, name,
    XML type)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str, str], str] = {}

    def id(self, scope: str, name: str, kind: str) -> str:
        """The id of ``name`` with values of ``kind`` ("string", "long", ...) in ``scope``."""
        found = self.ids.get((scope, name, kind))
        if found is None:
            found = self.ids[scope, name, kind] = str(len(self.ids))
        return found

    def columns(self, scope: str, rows: list[dict], shape: Shape, *, skip: Collection[str] = (),
                lower_booleans: bool = False, special: _Special = _SPECIAL) -> list[Column]:
        """Of ``rows`` (all of ``shape``), each attribute a file can hold (not None, not in
        ``skip``): its key id, each row's text escaped (for an attribute value, or with
        :data:`_TEXT_SPECIAL` for text; None for an empty list: left out) and whether some
        row's is None. Booleans are ``True``/``False`` (GraphML) or ``true``/``false``. A list
        column equal to an earlier one (an event's ``ties`` are its ``events``) reuses its text.

        >>> rows = [{"a": 1, "b": None, "c": ["x", "y"], "d": {}}, {"a": 2, "b": None, "c": [], "d": {}}]
        >>> Keys().columns("edge", rows, next(iter(_shapes(rows))))
        [('0', ['1', '2'], False), ('1', ['x; y', None], True), ('2', ['{}', '{}'], False)]
        """
        found: list[Column] = []
        lists: list[tuple[Sequence, tuple[Sequence, int]]] = []  # list columns met: values, (texts, how many None)
        for name, kind, values in zip(*shape, zip(*map(dict.values, rows))):
            if kind is _NONE or name in skip:
                continue
            if kind is list or kind is tuple:
                column = next((column for earlier, column in lists if earlier == values), None)
                if column is None:
                    joined, all_text = _list_texts(values)
                    escaped = _escape(joined, special)
                    column = (escaped, escaped.count(None))
                    if all_text:  # (equal lists of text are the same text; [1] == [True] are not)
                        lists.append((values, column))
                escaped, missing = column
                if missing < len(escaped):
                    found.append((self.id(scope, name, "string"), escaped, missing > 0))
                continue
            texts, xml_type = _texts(values, kind, lower_booleans)
            found.append((self.id(scope, name, xml_type), _escape(texts, special), False))
        return found


def _texts(values: Sequence, kind: type, lower_booleans: bool) -> tuple[Sequence, str]:
    """The text of each of ``values`` (all of type ``kind``, not a list) and the XML type it is
    declared as."""
    if kind is str:
        return values, "string"
    if kind is set or kind is frozenset:
        return ["; ".join(map(str, value)) for value in values], "string"
    if kind is bool:
        true, false = ("true", "false") if lower_booleans else ("True", "False")
        return [true if value else false for value in values], "boolean"
    if kind is int or kind is float:
        return list(map(repr, values)), _XML_TYPES[kind]
    if kind is dict:
        return _json_texts(values), "string"
    return [value.isoformat() if isinstance(value, date) else str(value) for value in values], "string"


def _list_texts(values: Sequence[Sequence]) -> tuple[list[str | None], bool]:
    """Each list as its items joined by ``"; "`` (None for an empty one), and whether every
    item was text."""
    try:
        return [("; ".join(value) if value else None) for value in values], True
    except TypeError:  # not all text
        return [("; ".join(map(str, value)) if value else None) for value in values], False


def _json_texts(values: Sequence[dict]) -> list[str]:
    """Each dict as JSON text with sorted keys; the same items encoded once (evidence counts
    repeat: ``{"acled": 1}``; ``{"x": 1}`` and ``{"x": True}`` are not the same).

    >>> _json_texts([{"x": 1}, {"x": True}, {"x": 1}])
    ['{"x": 1}', '{"x": true}', '{"x": 1}']
    """
    known: dict[tuple, str] = {}
    texts = []
    for value in values:
        try:
            items = tuple((name, type(item), item) for name, item in value.items())
            text = known.get(items)
            if text is None:
                text = known[items] = _SORTED_JSON.encode(value)
        except TypeError:  # an unhashable value
            text = _SORTED_JSON.encode(value)
        texts.append(text)
    return texts


def _shapes(rows: list[dict]) -> dict[Shape, list[int]]:
    """The numbers of ``rows`` by shape, in the order shapes are first met.

    >>> _shapes([{"a": 1}, {"a": "x"}, {"a": 2}])
    {(('a',), (<class 'int'>,)): [0, 2], (('a',), (<class 'str'>,)): [1]}
    """
    groups: dict[Shape, list[int]] = {}
    for number, row in enumerate(rows):
        shape = (tuple(row), tuple(map(type, row.values())))
        group = groups.get(shape)
        if group is None:
            groups[shape] = [number]
        else:
            group.append(number)
    return groups


class _Format:
    """The text of rows of one shape: constant pieces and columns (a text per row), put
    together with one ``%`` per row.

    >>> text = _Format(); text.add("<x>"); text.add_column(["1", "2"]); text.add("</x>")
    >>> text.rows(2)
    ['<x>1</x>', '<x>2</x>']
    """

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.columns: list[Sequence[str]] = []

    def add(self, text: str) -> None:
        self.pieces.append(text.replace("%", "%%"))

    def add_column(self, texts: Sequence[str]) -> None:
        self.pieces.append("%s")
        self.columns.append(texts)

    def add_values(self, columns: list[Column], head: str, tail: str) -> None:
        """Each column as ``head`` (with its key id for ``{key}``), the row's text and ``tail``;
        nothing for a row whose text is None."""
        for key, texts, some_missing in columns:
            opening = head.format(key=key)
            if some_missing:
                self.add_column([f"{opening}{text}{tail}" if text is not None else "" for text in texts])
            else:
                self.add(opening)
                self.add_column(texts)
                self.add(tail)

    def rows(self, count: int) -> list[str]:
        """The text of each of the ``count`` rows."""
        template = "".join(self.pieces)
        if not self.columns:
            return [template % ()] * count
        return list(map(template.__mod__, zip(*self.columns)))


def _in_order(rows: list[dict], opening: list[str], render: Callable[[Shape, list[dict], list[str]], list[str]]
              ) -> str:
    """The text of ``rows``, in their order, each group of one shape made by ``render(shape,
    its rows, their opening)`` (``opening``: the XML attributes of each row's element)."""
    groups = _shapes(rows)
    if len(groups) == 1:
        [shape] = groups
        return "".join(render(shape, rows, opening))
    found = [""] * len(rows)
    for shape, numbers in groups.items():
        made = render(shape, [rows[number] for number in numbers], [opening[number] for number in numbers])
        for number, text in zip(numbers, made):
            found[number] = text
    return "".join(found)


# GraphML ---------------------------------------------------------------------------------------

def graphml_elements(keys: Keys, scope: str, opening: list[str], rows: list[dict], indent: str = "    ") -> str:
    """GraphML elements ``scope`` ("node" or "edge"), each with the XML attributes of
    ``opening`` and its row's values as ``<data>`` (an edge's spans are not written: GEXF has
    spells)."""
    def render(shape: Shape, members: list[dict], opened: list[str]) -> list[str]:
        text = _Format()
        text.add(f"{indent}<{scope} ")
        text.add_column(opened)
        text.add(">")
        text.add_values(keys.columns(scope, members, shape, skip=("spans",), special=_TEXT_SPECIAL),
                        f'\n{indent}  <data key="d{{key}}">', "</data>")
        text.add(f"\n{indent}</{scope}>\n")
        return text.rows(len(members))

    return _in_order(rows, opening, render)


def graphml_graph_data(keys: Keys, info: dict) -> str:
    """The graph's own ``<data>`` elements, one a line."""
    text = _Format()
    text.add_values(keys.columns("graph", [info], next(iter(_shapes([info]))), skip=("spans",), special=_TEXT_SPECIAL),
                    '    <data key="d{key}">', "</data>\n")
    return text.rows(1)[0]


# GEXF ------------------------------------------------------------------------------------------

def gexf_nodes(keys: Keys, ids: Mapping[Any, str], nodes: Iterable[tuple[Any, dict]]) -> str:
    """GEXF ``<node>`` elements: id (as ``ids`` quotes it), label (its ``label`` or id) and
    attribute values."""
    listed = list(nodes)
    rows = [attrs for _node, attrs in listed]
    labels = _escape([str(node if attrs.get("label") is None else attrs["label"]) for node, attrs in listed])
    opening = [f'id={ids[node]} label="{label}"' for (node, _attrs), label in zip(listed, labels)]

    def render(shape: Shape, members: list[dict], opened: list[str]) -> list[str]:
        text = _Format()
        text.add("      <node ")
        text.add_column(opened)
        text.add(">")
        _add_attvalues(text, keys.columns("node", members, shape, skip=("label",), lower_booleans=True))
        text.add("\n      </node>\n")
        return text.rows(len(members))

    return _in_order(rows, opening, render)


def gexf_edges(keys: Keys, opening: list[str], rows: list[dict]) -> tuple[str, bool]:
    """GEXF ``<edge>`` elements, each with the XML attributes of ``opening`` and, of its row
    (the edge's attributes and its ``networkx_key``), its fields (label, weight, start, end),
    its spans as spells and its other values as attribute values; and whether an edge is dated
    (the graph is then dynamic)."""
    dated = False

    def render(shape: Shape, members: list[dict], opened: list[str]) -> list[str]:
        nonlocal dated
        held = {name for name, kind in zip(*shape) if kind is not _NONE}
        spans = [row["spans"] for row in members] if "spans" in held else None
        dated = dated or bool({"start", "end"} & held) or any(spans or ())
        text = _Format()
        text.add("      <edge ")
        text.add_column(opened)
        for name in GEXF_EDGE_FIELDS:
            if name not in held:
                continue
            texts = _escape([str(row[name]) for row in members])
            if spans is not None and name in ("start", "end"):  # an edge with spans has spells instead
                text.add_column([f' {name}="{t}"' if not spanned else "" for spanned, t in zip(spans, texts)])
            else:
                text.add(f' {name}="')
                text.add_column(texts)
                text.add('"')
        text.add(">")
        if spans is not None:
            text.add_column(_spells(spans))
        _add_attvalues(text, keys.columns("edge", members, shape, skip=_GEXF_SKIP, lower_booleans=True))
        text.add("\n      </edge>\n")
        return text.rows(len(members))

    return _in_order(rows, opening, render), dated


def _add_attvalues(text: _Format, columns: list[Column]) -> None:
    """The ``<attvalues>`` element of each row; none for a row without a value."""
    if not columns:
        return
    if all(some_missing for _key, _texts, some_missing in columns):  # a row may have none at all
        inner = _Format()
        inner.add_values(columns, '\n          <attvalue for="{key}" value="', '" />')
        text.add_column([f"\n        <attvalues>{values}\n        </attvalues>" if values else ""
                         for values in inner.rows(len(columns[0][1]))])
        return
    text.add("\n        <attvalues>")
    text.add_values(columns, '\n          <attvalue for="{key}" value="', '" />')
    text.add("\n        </attvalues>")


def _spells(column: list) -> list[str]:
    """Each row's spans (a list of [start, end], or none) as GEXF spells; ISO days need no
    escape, which one search over the column's days finds.

    >>> _spells([[["2023-01-01", "2023-01-02"], ["2023-03-01", None]], None])[0].split(chr(10))[2]
    '          <spell start="2023-01-01" end="2023-01-02" />'
    """
    days = [day for spans in column if spans for span in spans for day in span if day is not None]
    if _SPECIAL.found_in("".join(map(str, days))):
        column = [[[None if day is None else _SPECIAL.escape(str(day)) for day in span] for span in spans]
                  if spans else spans for spans in column]
    return [("\n        <spells>" + "".join([f"\n          <spell{_spell(start, end)} />" for start, end in spans])
             + "\n        </spells>") if spans else "" for spans in column]


def _spell(start: Any, end: Any) -> str:
    return (f' start="{start}"' if start is not None else "") + (f' end="{end}"' if end is not None else "")
