"""The automatic grid layout: widgets flow left to right on 24 columns and wrap. Pure.

Dashboard Body Structure and Syntax: `x` 0-23, `width` 1-24, the grid is 24 units wide
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
"""

from __future__ import annotations

COLUMNS = 24
NEWROW = "newrow"   # a token: what follows starts at x = 0 below everything so far


def layout(tokens: list) -> list[dict]:
    """Widgets (dicts with `width` and `height`) with `x` and `y`; NEWROW tokens break the row."""
    placed, x, y, row = [], 0, 0, 0
    for token in tokens:
        if token == NEWROW or (x and x + token["width"] > COLUMNS):
            x, y, row = 0, y + row, 0
        if token == NEWROW:
            continue
        placed.append({"type": token["type"], "x": x, "y": y, **{k: v for k, v in token.items() if k != "type"}})
        x, row = x + token["width"], max(row, token["height"])
    return placed
