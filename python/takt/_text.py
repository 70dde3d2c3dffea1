"""Python data to the JSON text the library reads (instances, events, scenarios, schedules): its
JSON readers parse it into the same typed documents as YAML files, with the same errors and
places (paths such as ``jobs[3].operations[1].machines``)."""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any


def _default(value: Any) -> Any:
    """JSON for what ``json`` does not know: datetimes as ISO text (takt's instants), timedeltas
    as whole minutes (takt's durations), numpy/pandas scalars as Python numbers."""
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="minutes")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        minutes = value.total_seconds() / 60
        return int(minutes) if minutes == int(minutes) else minutes
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"takt cannot represent a {type(value).__name__} in an instance: {value!r}")


def _clean(value: Any) -> Any:
    """Drops NaN cells (pandas' missing values) from mappings and writes whole floats as integers
    (pandas turns an integer column with gaps into floats; takt's minutes are integers),
    recursively."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {
            k: _clean(v)
            for k, v in value.items()
            if not (isinstance(v, float) and math.isnan(v))
        }
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def to_text(data: Any) -> str:
    """JSON text of ``data`` for the library's JSON readers."""
    return json.dumps(_clean(data), allow_nan=False, default=_default, ensure_ascii=False)
