"""A dashboard change as people read it: which widgets are added, removed or changed. Pure.

Widgets are matched by what they show (type and title, or a text widget's first line), not by
position: a widget that only moved is `moved`, one whose content changed is `changed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GRID = ("x", "y", "width", "height")


@dataclass(frozen=True)
class WidgetDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)   # dashboard-level keys (start, ...)

    def as_dict(self) -> dict[str, list[str]]:
        return {key: value for key, value in vars(self).items() if value}


def label(widget: object) -> str:
    """`metric "app CPU"`, `text "## web"`: what a person recognises a widget by."""
    if not isinstance(widget, dict):
        return "(not a widget)"
    properties = widget.get("properties") or {}
    text = properties.get("title") or (properties.get("markdown") or "").strip().splitlines()[:1]
    text = text[0] if isinstance(text, list) and text else text
    return f'{widget.get("type", "?")} "{text}"' if text else str(widget.get("type", "?"))


def _keyed(body: dict | None) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for widget in (body or {}).get("widgets") or []:
        key, n = label(widget), 2
        while key in found:   # two widgets of one title: told apart by order
            key, n = f"{label(widget)} #{n}", n + 1
        found[key] = widget
    return found


def diff(before: dict | None, after: dict | None) -> WidgetDiff:
    old, new = _keyed(before), _keyed(after)
    result = WidgetDiff(added=[k for k in new if k not in old], removed=[k for k in old if k not in new])
    for key in (k for k in new if k in old and new[k] != old[k]):
        content = {k: v for k, v in new[key].items() if k not in GRID} != \
            {k: v for k, v in old[key].items() if k not in GRID}
        (result.changed if content else result.moved).append(key)
    keys = set(before or {}) | set(after or {})
    result.other.extend(sorted(k for k in keys - {"widgets"} if (before or {}).get(k) != (after or {}).get(k)))
    return result


def lines(before: dict | None, after: dict | None) -> list[str]:
    """The text plan's lines for one dashboard change."""
    found = diff(before, after)
    if after is not None and before is None:
        return [f"    {len(after.get('widgets', []))} widgets: " + ", ".join(_keyed(after))]
    marks = {"added": "+", "removed": "-", "changed": "~", "moved": "~"}
    out = [f"    {marks[key]} {key} {item}" for key in marks for item in getattr(found, key)]
    return out + [f"    ~ {key}: {(before or {}).get(key)!r} -> {(after or {}).get(key)!r}" for key in found.other]
