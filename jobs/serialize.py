"""Analyses to JSON and back, so unchanged pages are never refetched or reparsed.

The state database keeps each page's analysis as JSON next to the revision
it describes.  The conversion is driven by the dataclasses' own type hints,
so a field added to :mod:`parsers.model` is stored without code here; a
stored analysis from an older parser version is simply recomputed
(see :data:`parsers.analysis.ANALYSIS_VERSION`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from enum import Enum
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

from parsers.model import ReportAnalysis, TalkAnalysis

T = TypeVar("T")


_PLAIN = (str, int, float, bool, type(None))


def to_json(value: Any) -> Any:
    if type(value) in _PLAIN:  # most leaves: answered first (a sweep converts ~100 per grant)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass of type ``cls`` written by :func:`to_json`."""
    return typing.cast(T, _converter(cls)(data))


def _same(data: Any) -> Any:
    return data


@cache
def _converter(tp: Any) -> Callable[[Any], Any]:
    """The function turning JSON data into ``tp``, built once per type from its hints.

    Why built, not interpreted: the output stage decodes every grant's stored
    analysis when one grant changed (some 70 values a grant), and reading the
    type hints at every value was most of that work."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        return _converter(options[0]) if len(options) == 1 else _same
    if origin is tuple:
        return _tuple_converter(get_args(tp))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        fields = [(f.name, _converter(hints[f.name])) for f in dataclasses.fields(tp)]
        return lambda data: None if data is None else tp(
            **{name: convert(data[name]) for name, convert in fields if name in data})
    if isinstance(tp, type) and issubclass(tp, Enum):
        return lambda data: None if data is None else tp(data)
    if tp is datetime:
        return lambda data: None if data is None else datetime.fromisoformat(data)
    return _same  # str, int, float, bool, list, dict: JSON holds them as they are


def _tuple_converter(args: tuple[Any, ...]) -> Callable[[Any], Any]:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])
        if item is _same:
            return lambda data: None if data is None else tuple(data)
        return lambda data: None if data is None else tuple(item(v) for v in data)
    items = [_converter(a) for a in args]
    return lambda data: None if data is None else tuple(f(v) for f, v in zip(items, data))


def talk_from_json(data: Any) -> TalkAnalysis:
    return from_json(TalkAnalysis, data)


def report_from_json(data: Any) -> ReportAnalysis:
    return from_json(ReportAnalysis, data)
