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
    return typing.cast(T, _convert(cls, data))


def _convert(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        return _convert(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in data)
        return tuple(_convert(a, v) for a, v in zip(args, data))
    if origin in (list, dict):
        return data
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            kwargs = {
                f.name: _convert(hints[f.name], data[f.name])
                for f in dataclasses.fields(tp)
                if f.name in data
            }
            return tp(**kwargs)
        if issubclass(tp, Enum):
            return tp(data)
        if tp is datetime:
            return datetime.fromisoformat(data)
    return data


def talk_from_json(data: Any) -> TalkAnalysis:
    return from_json(TalkAnalysis, data)


def report_from_json(data: Any) -> ReportAnalysis:
    return from_json(ReportAnalysis, data)
