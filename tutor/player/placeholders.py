"""Placeholders of lesson text filled strictly from a real run's values (what `tutor check`
verifies): a placeholder that names nothing, has no value yet, or whose format spec does not fit
the value is a PlaceholderProblem."""

from __future__ import annotations

import _string  # the field-name splitter str.format itself uses
import string
from collections.abc import Mapping
from typing import Any

from .context import UNDEFINED

PARSER = string.Formatter()
"""How str.format reads a template (its literal parts and fields)."""


class PlaceholderProblem(ValueError):
    """A placeholder that names nothing, has no value yet, or whose format spec does not fit."""


def _field_value(name: str, context: Mapping[str, Any], allow_undefined: bool) -> Any:
    """The value a field name reaches, walking it part by part: past a value the run has not
    produced yet (or a missing list or mapping entry, when `allow_undefined`), UNDEFINED."""
    first, rest = _string.formatter_field_name_split(name)
    try:
        value = context[first]
    except KeyError:
        raise PlaceholderProblem(f"{{{name}}} names nothing the run produces") from None
    for is_attribute, key in rest:
        if value is UNDEFINED:
            return UNDEFINED
        try:
            value = getattr(value, key) if is_attribute else value[key]
        except (LookupError, TypeError) as exc:  # a list or mapping without that entry (yet)
            if not allow_undefined:
                raise PlaceholderProblem(f"{{{name}}} has no value at this step ({exc})") from None
            return UNDEFINED
        except AttributeError as exc:
            raise PlaceholderProblem(f"{{{name}}} names nothing the run produces ({exc})") from None
    return value


def resolve(template: str, context: Mapping[str, Any], *, allow_undefined: bool = False) -> str:
    """Fill `template` strictly: any placeholder that cannot be filled is a PlaceholderProblem."""
    parts: list[str] = []
    for literal, name, spec, conversion in PARSER.parse(template):
        parts.append(literal)
        if name is None:
            continue
        value = _field_value(name, context, allow_undefined)
        if value is UNDEFINED:
            if allow_undefined:
                parts.append(str(UNDEFINED))
                continue
            raise PlaceholderProblem(f"{{{name}}} has no value yet at this step")
        try:
            value = PARSER.convert_field(value, conversion)
            parts.append(PARSER.format_field(value, spec or ""))
        except (ValueError, TypeError) as exc:
            raise PlaceholderProblem(
                f"{{{name}:{spec}}}: the format spec does not fit the value {value!r} ({exc})"
            ) from None
    return "".join(parts)
