"""`labelSelector` and `fieldSelector` query parameters, parsed and matched.

Label selectors follow the apiserver's grammar: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`,
joined by commas. Field selectors take `path=value`, `path==value`, `path!=value`; kubectl sends
`metadata.name=NAME` when it watches or waits on one object (`get -w NAME`, `delete --wait`), so that one matters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .status import bad_request

Matcher = Callable[[dict[str, Any]], bool]

_SET_TERM = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")


def _split_terms(selector: str) -> list[str]:
    """Split on commas that are not inside `( )`."""
    terms, depth, current = [], 0, ""
    for char in selector:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += char
    terms.append(current)
    return [term.strip() for term in terms if term.strip()]


def _label_term(term: str) -> Matcher:
    set_match = _SET_TERM.match(term)
    if set_match:
        key, operator, raw_values = set_match.groups()
        values = {value.strip() for value in raw_values.split(",") if value.strip()}
        if operator == "in":
            return lambda labels: labels.get(key) in values
        return lambda labels: labels.get(key) not in values
    for operator in ("!=", "==", "="):
        if operator in term:
            key, _, value = (part.strip() for part in term.partition(operator))
            if not key:
                break
            if operator == "!=":
                return lambda labels: labels.get(key) != value
            return lambda labels: labels.get(key) == value
    if term.startswith("!"):
        key = term[1:].strip()
        return lambda labels: key not in labels
    if re.fullmatch(r"[A-Za-z0-9_./-]+", term):
        return lambda labels: term in labels
    raise bad_request(f"unable to parse requirement: found '{term}', expected: label selector term")


def label_matcher(selector: str | None) -> Matcher:
    if not selector:
        return lambda obj: True
    terms = [_label_term(term) for term in _split_terms(selector)]
    return lambda obj: all(term(obj.get("metadata", {}).get("labels") or {}) for term in terms)


def _field_value(obj: dict[str, Any], path: str) -> str:
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def field_matcher(selector: str | None) -> Matcher:
    if not selector:
        return lambda obj: True
    terms: list[Matcher] = []
    for term in _split_terms(selector):
        for operator in ("!=", "==", "="):
            if operator in term:
                path, _, value = (part.strip() for part in term.partition(operator))
                negate = operator == "!="
                terms.append(lambda obj, p=path, v=value, n=negate: (_field_value(obj, p) == v) != n)
                break
        else:
            raise bad_request(f'invalid selector: \'{selector}\'; can\'t understand \'{term}\'')
    return lambda obj: all(term(obj) for term in terms)
