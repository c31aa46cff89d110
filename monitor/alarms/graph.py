"""Walks over the graph of composite alarms, without recursion. Pure.

A chain of composite alarms (each naming the next) is as long as the config, or the account,
makes it: a walk that recursed once per alarm would end in Python's RecursionError on a chain of
a thousand. These keep their own stacks, visit each alarm once per walk, and cut a cycle where it
closes: a cycle is refused offline, and AWS can still hold one ("It is possible to create a loop
or cycle of composite alarms", PutCompositeAlarm,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

Value = TypeVar("Value")
Children = Callable[[str], Iterable[str]]


def fold(root: str, children: Children, value: Callable[[str, list[Value]], Value],
         outside: frozenset[str] = frozenset(), memo: dict[str, Value] | None = None) -> Value:
    """`value(name, values of its children)`, bottom up from the leaves to `root`.

    A child that is on the way from `root` to it (a cycle) or in `outside` is left out; `memo`
    keeps the values across walks that share it.
    """
    memo = {} if memo is None else memo
    on_path: set[str] = set(outside)
    stack: list[tuple[str, bool]] = [(root, False)]
    while stack:
        name, finished = stack.pop()
        if finished:
            on_path.discard(name)
            memo[name] = value(name, [memo[child] for child in children(name)
                                      if child in memo and child not in on_path])
        elif name not in memo and name not in on_path:
            on_path.add(name)
            stack.append((name, True))
            stack.extend((child, False) for child in children(name) if child not in on_path)
    return memo[root]


def cycle(start: str, children: Children, follow: Callable[[str], bool]) -> list[str] | None:
    """A path from `start` back to itself through nodes that `follow` allows, e.g. [a, b, a], or None."""
    path, on_path, dead = [start], {start}, set()
    pending = [iter(children(start))]
    while pending:
        child = next(pending[-1], None)
        if child is None:   # every way on from the last node is tried: it leads back nowhere
            pending.pop()
            left = path.pop()
            on_path.discard(left)
            dead.add(left)
            continue
        if child == start:
            return path + [child]
        if follow(child) and child not in on_path and child not in dead:
            path.append(child)
            on_path.add(child)
            pending.append(iter(children(child)))
    return None
