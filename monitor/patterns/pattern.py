"""parse(): pick the pattern kind by its first character [S1] and compile it once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from monitor.patterns import references
from monitor.patterns.delimited import parse_delimited
from monitor.patterns.errors import PatternWarning
from monitor.patterns.jsonpattern import parse_json
from monitor.patterns.limits import check_length, check_quotas
from monitor.patterns.regex import compile_regex
from monitor.patterns.semantics import DIMENSION_KINDS, MATCH_ALL_TEXTS
from monitor.patterns.terms import compile_terms, read_terms


@dataclass(frozen=True)
class Result:
    """What a metric filter would do with one event (TestMetricFilter plus the published value)."""

    match: bool
    value: float | None
    dimensions: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


class TextMatcher:
    """Terms, a standalone regex, or match-all: a test of the raw message, nothing extracted."""

    wildcards_at: tuple[int, ...] = ()

    def __init__(self, test: Callable[[str], bool], regex_at: tuple[int, ...] = (),
                 warnings: tuple[PatternWarning, ...] = ()):
        self.match = test
        self.regex_at = regex_at
        self.warnings = warnings

    def extract(self, message: str) -> tuple[bool, Any]:
        """The match; unstructured patterns extract nothing [S5][S7]."""
        return self.match(message), None


class Pattern:
    """A compiled filter pattern: match events, and compute what a metric filter publishes."""

    def __init__(self, text: str, kind: str, matcher: Any):
        self.text = text
        self.kind = kind
        self.regex_count: int = len(matcher.regex_at)
        self.wildcard_selectors: int = len(matcher.wildcards_at)
        self.warnings: tuple[PatternWarning, ...] = matcher.warnings  # accepted, but say how to be sure
        self._matcher = matcher
        self._references: dict[str, references.Reference] = {}   # checked once, not per event
        self.matches = matcher.match  # the compiled test itself: one call less per event

    def __repr__(self) -> str:
        return f"Pattern({self.text!r}, kind={self.kind!r})"

    @property
    def field_names(self) -> tuple[str, ...]:
        """Named fields of a space-delimited pattern (without '$')."""
        return self._matcher.names if self.kind == "delimited" else ()

    @property
    def supports_dimensions(self) -> bool:
        """Dimensions are only for JSON and space-delimited patterns [S6][S23]."""
        return self.kind in DIMENSION_KINDS

    def matches(self, message: str) -> bool:  # replaced per instance by the compiled test
        """True if the event matches."""
        return self._matcher.match(message)

    def check_reference(self, ref: str) -> str | None:
        """None if a metric or dimension value can be used with this pattern, else what is allowed."""
        return references.check(self.kind, self._matcher, ref)

    def evaluate(self, message: str, value: str = "1", dimensions: dict[str, str] | None = None) -> Result:
        """The match, the metric value and dimensions it would publish, and the extracted fields."""
        value_ref = self._reference(value)
        dimension_refs = self._dimension_references(dimensions or {})
        matched, context = self._matcher.extract(message)
        if not matched:
            return Result(False, None)
        published = {name: text for name, ref in dimension_refs.items()
                     if (text := references.dimension_value(ref, context)) is not None}
        return Result(True, references.metric_value(value_ref, context), published, self._fields(context))

    def _reference(self, text: str) -> references.Reference:
        """A usable reference, or ValueError saying why not (a caller's mistake, not the event's)."""
        if text not in self._references:
            problem = self.check_reference(text)
            if problem:
                raise ValueError(problem)
            self._references[text] = references.read_reference(text)
        return self._references[text]

    def _dimension_references(self, dimensions: dict[str, str]) -> dict[str, references.Reference]:
        """Dimension values must be fields of a JSON or space-delimited pattern [S6][S11]."""
        if dimensions and not self.supports_dimensions:
            raise ValueError("The specified filter pattern does not support dimensions: "
                             "use a JSON or space-delimited pattern")
        refs = {name: self._reference(text) for name, text in dimensions.items()}
        constant = [ref.text for ref in refs.values() if ref.kind == "number"]
        if constant:
            raise ValueError(f"a dimension value must be a field of the event, not {constant[0]}")
        return refs

    def _fields(self, context: Any) -> dict[str, str]:
        """TestMetricFilter's extractedValues: delimited fields only (semantics.JSON_EXTRACTS_FIELDS)."""
        return dict(context.fields) if self.kind == "delimited" else {}


@lru_cache(maxsize=1024)
def parse(text: str) -> Pattern:
    """The one judge of what AWS accepts: PatternError (with its column) for anything it refuses."""
    check_length(text)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    kind, matcher = _compile(text, start, end)
    check_quotas(kind, matcher)
    return Pattern(text, kind, matcher)


def _compile(text: str, start: int, end: int) -> tuple[str, Any]:
    """The kind is chosen by the first non-blank character [S1]."""
    body = text[start:end]
    if body in MATCH_ALL_TEXTS:
        return "all", TextMatcher(lambda message: True)
    if body[0] == "{":
        return "json", parse_json(text, start, end)
    if body[0] == "[":
        return "delimited", parse_delimited(text, start, end)
    if len(body) > 1 and body[0] == body[-1] == "%":
        return "regex", TextMatcher(_search(compile_regex(text, start + 1, end - 1)), (start,))
    terms = read_terms(text, start, end)
    return "terms", TextMatcher(compile_terms(terms), warnings=terms.warnings)


def _search(regex: Any) -> Callable[[str], bool]:
    """Unanchored search anywhere in the message [S1]: %AUTHORIZED% matches UNAUTHORIZED."""
    search = regex.search
    return lambda message: search(message) is not None
