"""Read a YAML file into data plus a path -> position index; duplicate keys are errors."""

from __future__ import annotations

from pathlib import Path as FilePath

import yaml

from monitor import bounded
from monitor.problems import ERROR, Check, Mark, Path, Problem, Source

YAML_SPEC = "https://yaml.org/spec/1.2.2/"
SYNTAX = Check("CFG-001", ERROR, "invalid YAML", source=YAML_SPEC)
UNREADABLE = Check("CFG-002", ERROR, "the file cannot be read")
NOT_UTF8 = Check("CFG-003", ERROR, "the file is not UTF-8")
TOO_DEEP = Check("CFG-004", ERROR, "the document nests too deep")
TOO_LARGE = Check("CFG-005", ERROR, "the document expands to too many nodes (aliases inside aliases)")
SELF_ALIAS = Check("CFG-006", ERROR, "an alias refers to a node that contains it")
KEY_NOT_TEXT = Check("CFG-007", ERROR, "a key YAML does not read as text", source=YAML_SPEC)
DUPLICATE_KEY = Check("CFG-008", ERROR, "a key given twice in one mapping", source=YAML_SPEC)
TOO_BIG = Check("CFG-009", ERROR, "the file is too large to be a config (bytes, or nodes written)")
CHECKS = (SYNTAX, UNREADABLE, NOT_UTF8, TOO_DEEP, TOO_LARGE, SELF_ALIAS, KEY_NOT_TEXT, DUPLICATE_KEY, TOO_BIG)

STRING = "tag:yaml.org,2002:str"
MAX_BYTES = 512 * 1024   # the example config has 13 KB; checked before parsing (monitor/bounded.py)
MAX_NODES = 100_000   # far beyond any real config, with its aliases expanded
MAX_WRITTEN = 25_000  # nodes written in the file (the example config has under 200), counted while composing


MAX_DEPTH = 100       # a config nests about 10 levels; pyyaml's composer recurses once per level


class TooLarge(Exception):
    """The document has more nodes than a config could need; `mark` is where the count passed MAX_NODES,
    or None when its aliases, expanded, make it so."""

    def __init__(self, mark: yaml.Mark | None = None):
        super().__init__(mark)
        self.mark = mark


class TooDeep(Exception):
    """The document nests deeper than MAX_DEPTH, where pyyaml's recursion would end in a RecursionError."""

    def __init__(self, mark: yaml.Mark):
        super().__init__(mark)
        self.mark = mark


class Loader(yaml.SafeLoader):
    """SafeLoader that refuses to compose past MAX_DEPTH levels or MAX_WRITTEN nodes, at the node where
    it happens: the bounds hold while composing, before the node tree of a large file is ever built."""

    depth = 0
    nodes = 0

    def compose_node(self, parent, index):
        self.depth += 1
        self.nodes += 1
        try:
            if self.depth > MAX_DEPTH:
                raise TooDeep(self.peek_event().start_mark)
            if self.nodes > MAX_WRITTEN:
                raise TooLarge(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load(path: str | FilePath, text: str | None = None) -> tuple[Source, list[Problem]]:
    """Parse one file; a file too large, too deep or not YAML, and duplicate keys, come back as problems."""
    source = Source(name=str(path))
    try:
        source.text = bounded.read_text(path, MAX_BYTES, "a config") if text is None else text
        node, source.data = _compose(source.text)
    except (bounded.TooLarge, TooDeep, TooLarge, OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return source, [_unread(error, source)]
    problems: list[Problem] = []
    try:
        if node is not None:
            _index(node, source, problems)
    except TooLarge:
        message = f"the document expands to more than {MAX_NODES} nodes (aliases inside aliases?)"
        return source, [TOO_LARGE.problem((), message, source=source, mark=Mark(1, 1))]
    return source, problems


def _unread(error: Exception, source: Source) -> Problem:
    """Why the file gave no document, at the place it stopped."""
    if isinstance(error, (UnicodeDecodeError, yaml.reader.ReaderError)) and (binary := _binary(error, source)):
        return binary
    if isinstance(error, UnicodeDecodeError):
        return _encoding_problem(error, source)
    if isinstance(error, yaml.reader.ReaderError):
        return _character_problem(error, source)
    if isinstance(error, yaml.YAMLError):
        return _syntax_problem(error, source)
    if isinstance(error, OSError):
        return UNREADABLE.problem((), f"cannot read file: {error.strerror}", source=source)
    if isinstance(error, TooDeep):
        message = f"the document nests more than {MAX_DEPTH} levels deep"
        return TOO_DEEP.problem((), message, source=source, mark=_at(error.mark))
    if isinstance(error, TooLarge):
        message = f"the document has more than {MAX_WRITTEN} nodes; a config has a few hundred"
        return TOO_BIG.problem((), message, source=source, mark=_at(error.mark))
    return TOO_BIG.problem((), str(error), source=source, mark=Mark(1, 1))


def _at(mark: yaml.Mark) -> Mark:
    return Mark(mark.line + 1, mark.column + 1)


def _compose(text: str) -> tuple[yaml.Node | None, object]:
    """The node tree and the data; a RecursionError pyyaml still hits is TooDeep where it stopped."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node else None)
    except RecursionError:
        raise TooDeep(loader.get_mark()) from None
    finally:
        loader.dispose()


def _binary(error: UnicodeDecodeError | yaml.reader.ReaderError, source: Source) -> Problem | None:
    """A file that is not text at all (an executable, an archive) is said to be one, in one line, as an
    oversized one is (monitor/bounded.py): no decoding error or character position would help."""
    head = error.object if isinstance(error, UnicodeDecodeError) else source.text.encode("utf-8")
    seems = bounded.guess(head[:bounded.HEAD])
    if not seems.startswith("seems to be binary"):
        return None
    check = NOT_UTF8 if isinstance(error, UnicodeDecodeError) else SYNTAX
    return check.problem((), f"the file {seems}, not a YAML config: is this the file you meant?", source=source,
                         mark=Mark(1, 1))


def _character_problem(error: yaml.reader.ReaderError, source: Source) -> Problem:
    """A character YAML does not allow (a control character), at its own line and column, in one line
    (pyyaml's message adds a second line, 'in "<unicode string>", position N')."""
    before = source.text[:error.position]
    where = Mark(before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1)
    code = error.character if isinstance(error.character, int) else ord(error.character)
    return SYNTAX.problem((), f"invalid YAML: unacceptable character #x{code:04x}: {error.reason}", source=source,
                          mark=where)


def _encoding_problem(error: UnicodeDecodeError, source: Source) -> Problem:
    """Point at the first byte that is not UTF-8, the only encoding YAML files here may use."""
    before = error.object[:error.start]
    where = Mark(before.count(b"\n") + 1, error.start - (before.rfind(b"\n") + 1) + 1)
    message = f"the file is not UTF-8: byte 0x{error.object[error.start]:02x} cannot be decoded; save it as UTF-8"
    return NOT_UTF8.problem((), message, source=source, mark=where)


def _syntax_problem(error: yaml.YAMLError, source: Source) -> Problem:
    """Turn a YAML error into a problem at its own line and column."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    reason = getattr(error, "problem", None) or ""
    if "end of stream" in reason and getattr(error, "context_mark", None):
        mark = error.context_mark   # an unclosed quote: point where it opens, not at the file's end
    where = Mark(mark.line + 1, mark.column + 1) if mark is not None else Mark(1, 1)
    reason = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"invalid YAML: {reason}" + (f" ({context})" if context else "")
    return SYNTAX.problem((), message, source=source, mark=where)


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1, node.start_mark.index, node.end_mark.index)


def _index(root: yaml.Node, source: Source, problems: list[Problem]) -> None:
    """Record every node's position and report keys given twice in one mapping.

    Aliases are followed, so a node is refused inside itself, and the walk stops at MAX_NODES
    (a small file of nested aliases can stand for billions of nodes). The walk keeps its own
    stack: aliases inside aliases nest deeper than Python's recursion limit.
    """
    stack: list[tuple[yaml.Node, Path, frozenset[int]]] = [(root, (), frozenset())]
    while stack:
        node, path, inside = stack.pop()
        if id(node) in inside:
            problems.append(SELF_ALIAS.problem(path, "this alias refers to a node that contains it", source=source,
                                    mark=_mark(node)))
            continue
        if len(source.values) >= MAX_NODES:
            raise TooLarge()
        source.values[path] = _mark(node)
        children = _children(node, path, source, problems)
        stack.extend((child, child_path, inside | {id(node)}) for child, child_path in reversed(children))


def _children(node: yaml.Node, path: Path, source: Source, problems: list[Problem]) -> list[tuple[yaml.Node, Path]]:
    """A node's items or values with their paths; bad and duplicate keys are reported, not followed."""
    if isinstance(node, yaml.SequenceNode):
        return [(item, path + (number,)) for number, item in enumerate(node.value)]
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: dict[object, int] = {}
    found = []
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
        child = path + (key,)
        if key_node.tag != STRING:
            message = f"key '{key}' is not read as text by YAML ({key_node.tag.rsplit(':', 1)[-1]}); quote it"
            problems.append(KEY_NOT_TEXT.problem(child, message, source=source, mark=_mark(key_node)))
        elif key in seen:
            message = f"duplicate key '{key}' (first given on line {seen[key]})"
            problems.append(DUPLICATE_KEY.problem(child, message, source=source, mark=_mark(key_node)))
        else:
            seen[key] = key_node.start_mark.line + 1
            source.keys[child] = _mark(key_node)
            found.append((value_node, child))
    return found
