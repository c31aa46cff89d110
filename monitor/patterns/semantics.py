"""Every behaviour the AWS documentation leaves open, decided once and named here.

Each choice is one constant with a docstring and a test in tests/patterns/test_pattern_semantics.py.
Most are switches the engine reads (flip one and the behaviour follows); a few record a fixed
decision (REGEX_MIXED_WITH_TERMS, COMPARABLE_TYPES, UNSUPPORTED_JSON_KEYWORDS, JSON_EXTRACTS_FIELDS)
so it is written down in one place. The principle: never refuse a pattern AWS accepts. Where a
choice is marked UNVERIFIED only a TestMetricFilter call on a real account can settle it; the
choice follows the best evidence, the pattern carries a PatternWarning with the unambiguous
spelling, and the engine leans towards "does not match" when a wrong "matches" would hide a broken
metric. AWS's documented quotas are in monitor.patterns.limits.

SOURCES - the [S#] tags used in monitor/patterns/, monitor/config/rules.py and the tests:

[S1]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
      (with .../logs/matching-terms-unstructured-log-events.html and
      .../logs/matching-terms-space-delimited-log-events.html)
[S2]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html
[S3]  The 2020 page: https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/blob/
      5ae5c9aeccbdc909d7549b9260291ce7ed2a92f3/doc_source/FilterAndPatternSyntax.md
[S3a] The 2018 page: https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/blob/
      e9343db32ceee280415c5020340b450132c0be07/doc_source/FilterAndPatternSyntax.md
[S4]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html
[S5]  https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html
[S6]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntaxForMetricFilters.html
[S7]  https://github.com/aws/aws-cli/blob/develop/awscli/examples/logs/test-metric-filter.rst
[S10] botocore's logs model, https://github.com/boto/botocore/blob/develop/botocore/data/logs/
      2014-03-28/service-2.json; the same text on
      https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
[S11] https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-metricfilter.html
[S12] https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
[S13] https://docs.aws.amazon.com/cdk/api/latest/python/aws_cdk.aws_logs/MetricFilterProps.html
[S14] https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/ExtractBytesExample.html (and
      Counting404Responses.html, FindCountMetric.html, CountOccurrencesExample.html on the same path)
[S14a] The archived ExtractBytesExample.md in https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide
[S15] https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
[S16] https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
[S17] https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-reference-performance-logs-ECS.html
[S18] https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
[S19] https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_GetContainerLog.html
[S20] https://github.com/jorgebastida/awslogs/issues/381
[S21] https://github.com/aws/aws-cdk/issues/15047
[S22] The CloudWatch console's metric-value help text ("Valid metric values are: floating point
      number (1, 99.9, etc.), numeric field identifiers ($1, $2, etc.), or named field
      identifiers ..."), as quoted in public sample code; no AWS page carries it.
[S23] https://github.com/hashicorp/terraform-provider-aws/issues/28881,
      https://github.com/hashicorp/terraform-provider-aws/issues/22105,
      https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-logs/issues/64,
      https://github.com/aws/aws-cdk/pull/21654
"""

from __future__ import annotations

import re

# --- The pattern as a whole -----------------------------------------------------------------

MATCH_ALL_TEXTS = frozenset({"", '""', '" "'})
"""Trimmed patterns that match every event: the empty pattern [S3][S10] and `" "` [S1].

UNVERIFIED whether `" "` is a special case or a one-space phrase; the doc says it "returns all log
events", so it is a special case here (an event without a space still matches).
"""

MAX_NESTING = 32
"""Deepest parenthesis nesting accepted. Not an AWS limit: it keeps a 1024-character pattern
from exhausting Python's stack, so parse() only ever raises PatternError."""

# --- Unstructured terms ---------------------------------------------------------------------

PLAIN_TERM = re.compile(r"[A-Za-z0-9_]+")
"""The documented unquoted term: letters, digits and `_`; "terms that include characters other than
alphanumeric or underscore must be placed inside double quotes" [S3a][S1]. Any other unquoted term
parses (see UNQUOTED_TERM) but carries a PatternWarning whose fix is the quoted spelling."""

UNQUOTED_TERM = re.compile(r'[^\s"%]+')
"""An unquoted term is any run of characters but whitespace, `"` (a phrase) and `%` (a regex).

AWS accepts unquoted `java.lang.OutOfMemoryError`: filters like it are deployed and working in
public Terraform and CloudFormation configs, so refusing them would refuse what AWS accepts. How
AWS matches them is UNVERIFIED; here such a term is a literal, case-sensitive substring (the
strictest reading that still finds the text; splitting at the `.` into ANDed words would match
more). `[`, `]`, `{`, `(`, `:`, `/`, `=`, `@`, `'`, `*`, `?` and non-ASCII letters have no meaning
inside a term, so they are literal; `-` is the exception (HYPHEN_STARTS_EXCLUSION).
"""

HYPHEN_STARTS_EXCLUSION = True
"""A `-` inside an unquoted term starts an exclusion: `ORDER-ITEM-1` is `ORDER -ITEM -1`.

AWS accepts unquoted `ORDER-ITEM-1` but does not find that literal text, while `"ORDER-ITEM-1"`
does [S20]; the minus is the exclusion operator [S1], and reading it as one explains the report
(every event containing ORDER-ITEM-1 contains ITEM, so none matches). UNVERIFIED; the warning
says to quote the term. An empty piece (`ERROR-`, `a--b`) is a PatternError, as `ERROR -` is.
"""

SPACED_EXCLUSION = True
"""`"ERROR" - "Exiting"` (a minus, a space, then the term) excludes the term, as rendered in the
2018 and 2020 docs [S3a][S3]. The current doc writes `ERROR -ARGUMENTS` [S1]; both are accepted."""

REGEX_MIXED_WITH_TERMS = False
"""`ERROR %foo%` is undocumented (UNVERIFIED): a %regex% must be the whole pattern [S1][S4], so a
regex among terms is a PatternError rather than a guess."""

# --- Regular expressions ---------------------------------------------------------------------

REGEX_FLAGS = re.ASCII
"""`\\d` is `[0-9]`, `\\w` is `[a-zA-Z_0-9]` and `\\s` is ASCII whitespace [S4], not Python's Unicode
classes. Python's parser only checks the syntax (and places its errors); RE2 matches, and its Perl
classes are ASCII too (https://github.com/google/re2/wiki/Syntax): `\\s` is `[\\t\\n\\f\\r ]`."""

REGEX_END_ANCHOR = r"\z"
"""`$` "anchors the match to the end of a string" [S4]: the very end (RE2's `\\z`; Python's parser
reads it as its `\\Z`), where Python's `$` would also match before a final newline."""

# --- Values shared by JSON and space-delimited patterns --------------------------------------

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?")
"""An integer or decimal with optional sign and optional exponent: `+1000`, `55.5`, `1e-3`,
`10e3` [S1][S3]. Used for operands, for extracted values compared numerically and for metric
values."""

UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9._*:+-]+")
"""Unquoted values: letters, digits and `. _ - * :` (plus a sign for numbers). AWS's own docs use
`123.123.*` [S1], `kms.amazonaws.com` [S16], `*.8xlarge` [S15] unquoted; the exact charset is
UNVERIFIED, anything else (`@`, `/`, unicode, ...) must be quoted [S3]."""

QUOTE_ESCAPES = {'"': '"', "\\": "\\"}
"""Inside a double-quoted string `\\"` is a quote and `\\\\` a backslash; any other backslash is
literal (UNVERIFIED: the docs show no escapes)."""

WILDCARD_IN_QUOTES = True
"""`"*"`, `"AccessDenied*"` and `"*UnauthorizedOperation"` are wildcards too [S6][S15]; a `*`
inside the string (`Ev*ent`) is always literal [S3]."""

# --- JSON patterns ---------------------------------------------------------------------------

NOT_EQUAL_WHEN_MISSING = False
"""`{ $.x != "a" }` does not match an event without `x` (UNVERIFIED; the reference calls false
"most likely", and `!=` is already false on arrays and objects [S3])."""

COMPARABLE_TYPES = (str, int, float)
"""`=` and `!=` (and a lone `*`) only see value nodes: strings and numbers. Arrays and objects fail
both `=` and `!=` [S1][S3]; null and booleans are treated the same way (they have IS NULL /
IS TRUE / IS FALSE [S1]). So `{ $.x = * }` does not match `"x": null` (UNVERIFIED)."""

NUMBER_OPERAND_MATCHES_STRING = False
"""`{ $.TaskDefinitionRevision = 1 }` does not match `"TaskDefinitionRevision": "1"`: a numeric
operand needs a JSON number (UNVERIFIED, a real trap for Container Insights [S17]). Quote the
value (`= "1"`) to compare text."""

TEXT_OPERAND_MATCHES_NUMBER = True
"""String, wildcard and regex operands compare with a number through its JSON text (Python's
shortest repr: `404`, `24.9`), so `{ $.status = 4* }` matches `"status": 404`; the docs say the
asterisk can "match numbers" [S1]. Non-finite numbers have no text."""

WILDCARD_SELECTS_CHILDREN = True
"""`.*` and `[*]` both select every child of an object or array [S2]. A comparison matches when any
selected value satisfies it (implied by [S2]'s examples); `NOT EXISTS` matches when nothing is
selected."""

IS_MATCHES_TEXT = False
"""`IS TRUE`, `IS FALSE` and `IS NULL` need the JSON literals true, false and null: the string
`"true"` is not TRUE (UNVERIFIED)."""

UNSUPPORTED_JSON_KEYWORDS = ("IS NOT", "EXISTS")
"""`IS NOT` and `EXISTS` "currently aren't supported" [S1]: a PatternError, not a silent
never-match. Keywords (IS, NULL, TRUE, FALSE, NOT, EXISTS) are upper case, as documented."""

REJECTED_JSON_CONSTANTS = ("NaN", "Infinity", "-Infinity")
"""Python's json accepts these; JSON does not, so an event using them is not JSON and never
matches. An event that is not a JSON object never matches a JSON pattern [S1] (inferred)."""

JSON_EXTRACTS_FIELDS = False
"""TestMetricFilter documents extractedValues only for space-delimited patterns [S5]; a JSON match
reports no fields (Result.fields is {})."""

JSON_REFERENCE_MUST_BE_IN_PATTERN = False
"""A metric value or dimension `$.x` need not appear in the pattern: it is resolved on the matched
event. The CDK advises adding `$.x = *` [S13]; the validator may warn, the engine does not
refuse."""

# --- Space-delimited patterns ----------------------------------------------------------------

EXACT_FIELD_COUNT = False
"""Without `...` the last pattern field takes the rest of the line (DISPUTED, UNVERIFIED).

For an exact count: every documented example that states results has as many pattern fields as
event fields [S5][S1][S18], and the 2020 doc says `[w1=ERROR, w2]` matches `ERROR message` but not
`ERROR WARN message` [S3] (the same section also claims a match no reading allows, so it is weak).
Against it, and decisive: the current doc pairs `[w1=ERROR, w2]` with 6- and 7-word events and says
it returns events "where the first word is ERROR", after a "blank w2 indicator" [S1]; and public
repositories deploy one-field alarms such as `[(w1="*ERROR*" && w1!="*UNAUTHORIZED*") ||
w1="*Task timed out*"]`, have added exclusions to silence real alerts from them, and have widened
values because the one field held a space. Both only make sense if, on AWS, the last field takes
the rest of the line. Its value is then the raw rest (brackets and quotes kept), read at
evaluation time; a non-last field stays one event field (see delimited.spaced_value_warnings).
"""

MAX_ELLIPSES = 1
"""One `...` per pattern, at the start, middle or end (the documented placements [S3]); with two,
which fields they cover would be a guess, so it is a PatternError."""

CONDITION_NAMES_OWN_FIELD = True
"""Each condition in a field names that field: `[w1=ERROR || w1=WARNING, w2]` [S1]. The 2022 doc's
`W1=WARNING` typo and the 2020 doc's `status_code = 4* && bytes > 1000` (naming another field
[S3]) are PatternErrors."""

EVENT_FIELD = re.compile(r'\[([^\]]*)\]|"([^"]*)"|(\S+)')
"""Event tokenisation: runs of whitespace separate fields; `[...]` and `"..."` group a field and
are stripped from its value [S1][S5]. An unclosed `[` or `"` is an ordinary character, and a group
ends at its closing character (`[a b]c` is two fields)."""

DELIMITED_TEXT_EQUALITY = True
"""`status_code = 404` compares numerically when the field is a number (`404.0` matches) and by
text otherwise, so `bytes != 0` matches Apache's `-` (UNVERIFIED). `<`, `>`, `<=`, `>=` need a
number. False would make a non-numeric field fail both `=` and `!=`, as in JSON."""

# --- Metric value and dimensions -------------------------------------------------------------

NUMERIC_TEXT_IS_A_METRIC_VALUE = True
"""A metric value taken from an event field publishes when the value is a number or a string that
is a number (`"1534"`, as every space-delimited value is a string [S5]); anything else (text,
null, a non-finite number) publishes nothing for that event (UNVERIFIED)."""

POSITION_NAMES_ANY_FIELD = True
"""`$7` is the seventh event field even when the pattern names it (`size`): the ExtractBytes example
publishes "$7" with `[ip, id, user, timestamp, request, status_code, size]` [S14a]. Result.fields
still lists a named field only as `$size`, as TestMetricFilter does [S5]."""

DIMENSION_NEEDS_VALUE = True
"""A dimension is published only when its field is present with a non-empty string or number value
[S11] "only be published for a metric if the value is found in the log event"; otherwise it is
left out of Result.dimensions."""

DIMENSION_KINDS = ("json", "delimited")
"""Dimensions are "only available for JSON and space-delimited filter patterns" [S6][S23]."""
