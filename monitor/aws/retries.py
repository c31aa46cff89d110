"""How long a call may take and how often it is tried again, by what went wrong.

botocore's standard mode gives every retryable error the same budget, and with its 60 s read
timeout an endpoint that accepts connections and never answers holds a command for 11 minutes.
Here throttling keeps a generous budget (a first apply of thousands of PutMetricFilter calls is
throttled on AWS and must finish in one run), an endpoint that does not answer gets one more try,
and a quota (`LimitExceededException`, 100 metric filters per log group on CloudWatch Logs) is
final: botocore counts it as throttling (`ThrottledRetryableChecker` in
botocore/retries/standard.py), but waiting never frees a quota.

The policy is built from botocore's own classes (botocore/retries/standard.py) and replaces
the handler `register_retry_handler` put on the client's `needs-retry.<service>` event.

A 5xx answer is a server's failure whatever its body: a proxy or load balancer in front of the
endpoint answers `502 Bad Gateway` in plain text or HTML, which botocore's XML parsers cannot read
and raise on at once, untried again. Such a body is set aside before parsing (botocore then makes
its generic `Code: "502"` error, as it does for an empty 5xx), and what the endpoint answered is
kept in the error's response under ANSWER for the message after the last try.
"""

from __future__ import annotations

import http.client
import time

from botocore.exceptions import ConnectionError as NoConnection
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from botocore.parsers import ResponseParserError, ResponseParserFactory
from botocore.retries import quota, standard
from botocore.retries.base import BaseRetryableChecker

CONNECT_TIMEOUT = 5      # seconds to open a connection (botocore's default: 60)
READ_TIMEOUT = 10        # seconds to wait for an answer (botocore's default: 60)
THROTTLED_ATTEMPTS = 10  # an answer that says "slow down": back off (up to 20 s) and try again
SERVER_ATTEMPTS = 3      # a 5xx or other transient answer
SILENT_ATTEMPTS = 2      # no connection, or no answer within READ_TIMEOUT
SILENT_BUDGET = 30       # seconds a command (or one exporter refresh) waits on silence, all calls together
SILENT = (ReadTimeoutError, EndpointConnectionError)   # no answer, no connection (ConnectTimeoutError is one)
# Never retried: waiting does not raise a quota. CloudWatch Logs PutMetricFilter, "Errors":
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
FINAL_CODES = frozenset({"LimitExceededException"})
BOTOCORE_HANDLER_ID = "retry-config-{service}"   # the unique_id register_retry_handler uses
ANSWER = "EcsMonitorAnswer"   # the key of what a 5xx answer said, in the error's response
SHOWN = 120   # characters of an answer's body a message quotes


class Silence:
    """One command's budget against a silent endpoint, shared by all its clients.

    Each attempt that got no answer (or no connection) spends its timeout; no retry is made that
    could pass SILENT_BUDGET, and the first call that ends silent ends every later call at once
    with the same error: the first silent endpoint ends the command (or the exporter's refresh),
    instead of each of its calls waiting out its own tries.
    """

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        """A fresh budget: a new command, or the exporter's next refresh or reload."""
        self.spent, self.ended, self._sent = 0.0, None, None

    def sending(self, **_) -> None:
        """before-send: when this attempt left (a command's calls go one at a time)."""
        self._sent = self.clock()

    def attempted(self, caught_exception=None, **_) -> None:
        """needs-retry: a silent attempt spends what it waited."""
        if isinstance(caught_exception, SILENT) and self._sent is not None:
            self.spent += self.clock() - self._sent

    def affords(self, error: Exception) -> bool:
        """Whether one more try after `error` stays within the budget."""
        timeout = READ_TIMEOUT if isinstance(error, ReadTimeoutError) else CONNECT_TIMEOUT
        return self.ended is None and self.spent + timeout <= SILENT_BUDGET

    def failed(self, exception=None, **_) -> None:
        """after-call-error: a call that ended silent ends the command."""
        if isinstance(exception, SILENT) and self.ended is None:
            self.ended = exception

    def check(self, **_) -> None:
        """before-call: once the endpoint was silent, every later call fails at once, the same way."""
        if self.ended is not None:
            raise type(self.ended)(**self.ended.kwargs)


class Budgeted(BaseRetryableChecker):
    """botocore's standard conditions decide whether to retry; the kind of failure decides how often."""

    def __init__(self, throttling: standard.ThrottlingErrorDetector, silence: Silence | None = None):
        self._silence = silence
        self._throttling = throttling
        self._retryable = standard.StandardRetryConditions(max_attempts=THROTTLED_ATTEMPTS)
        self._throttled = standard.MaxAttemptsChecker(THROTTLED_ATTEMPTS)
        self._server = standard.MaxAttemptsChecker(SERVER_ATTEMPTS)
        self._silent = standard.MaxAttemptsChecker(SILENT_ATTEMPTS)

    def is_retryable(self, context: standard.RetryContext) -> bool:
        if context.get_error_code() in FINAL_CODES:
            return False
        if not (self._retryable.is_retryable(context) or _status(context) >= 500):
            return False
        silent = context.caught_exception
        if isinstance(silent, SILENT) and self._silence is not None and not self._silence.affords(silent):
            return False
        return self._budget(context).is_retryable(context)

    def _budget(self, context: standard.RetryContext) -> standard.MaxAttemptsChecker:
        if isinstance(context.caught_exception, (NoConnection, ReadTimeoutError)):
            return self._silent
        if self._throttling.is_throttling_error_from_context(context):
            return self._throttled
        return self._server


def _status(context: standard.RetryContext) -> int:
    """The HTTP status of the attempt's answer, 0 when there was none (no connection, a timeout)."""
    return getattr(context.http_response, "status_code", 0) or 0


def install(client, silence: Silence | None = None) -> None:
    """Swap the client's standard retry handler for one with per-failure budgets, the command's
    `silence` budget included.

    Ours is registered first and answers False (botocore/endpoint.py `_needs_retry`: "no
    retry") rather than None, so it decides even if botocore ever renamed its handler's id.
    """
    service = client.meta.service_model.service_id.hyphenize()
    handler, retry_quota = _handler(service, silence)
    events = client.meta.events
    if silence is not None:   # first: an attempt's wait is spent before the retry decision reads it
        _watch(events, service, silence)
    events.unregister(f"needs-retry.{service}", unique_id=BOTOCORE_HANDLER_ID.format(service=service))
    events.register_first(f"needs-retry.{service}", _decisive(handler.needs_retry),
                          unique_id=f"ecs-monitor-retry-{service}")
    events.register(f"after-call.{service}", retry_quota.release_retry_quota)
    events.register(f"before-parse.{service}", _set_aside_unreadable_5xx)


def _watch(events, service: str, silence: Silence) -> None:
    """The command's budget follows every call and attempt of this client."""
    events.register_first(f"before-call.{service}", silence.check)
    events.register(f"before-send.{service}", silence.sending)
    events.register_first(f"needs-retry.{service}", silence.attempted)
    events.register(f"after-call-error.{service}", silence.failed)


def _handler(service: str, silence: Silence | None) -> tuple[standard.RetryHandler, standard.RetryQuotaChecker]:
    """As `standard.register_retry_handler` builds it, with our checker: same backoff and retry quota."""
    adapter = standard.RetryEventAdapter()
    throttling = standard.ThrottlingErrorDetector(adapter)
    retry_quota = standard.RetryQuotaChecker(quota.RetryQuota(), throttling)
    backoff = standard.ExponentialBackoff(service_name=service, throttling_detector=throttling)
    policy = standard.RetryPolicy(retry_checker=Budgeted(throttling, silence), retry_backoff=backoff)
    return standard.RetryHandler(policy, adapter, retry_quota, service_name=service), retry_quota


def _decisive(needs_retry):
    """A delay (retry after it) or False (do not), never None (which lets later handlers decide)."""
    def decide(**kwargs):
        delay = needs_retry(**kwargs)
        return False if delay is None else delay
    return decide


def _set_aside_unreadable_5xx(operation_model, response_dict, customized_response_dict, **_) -> None:
    """Before botocore parses a 5xx answer: keep what it said, and hand on an empty body when the
    protocol's parser could not read it (botocore/parsers.py `_is_generic_error_response`)."""
    status = response_dict.get("status_code", 0)
    if status < 500:
        return
    customized_response_dict[ANSWER] = describe_answer(status, response_dict.get("headers", {}),
                                                       response_dict.get("body") or b"")
    if not _readable(operation_model, response_dict):
        response_dict["body"] = b""


def _readable(operation_model, response_dict: dict) -> bool:
    """Whether the protocol's own parser reads the answer (JSON parsers read any text; XML ones raise)."""
    parser = ResponseParserFactory().create_parser(operation_model.service_model.resolved_protocol)
    try:
        parser.parse(dict(response_dict), operation_model.output_shape)
    except (ResponseParserError, Exception):   # noqa: BLE001 - what breaks the parser is no AWS answer either
        return False
    return True


def describe_answer(status: int, headers, body: bytes) -> str:
    """`HTTP 502 Bad Gateway (text/html): "<html>...Bad Gateway..."`, for a person to recognise the proxy."""
    reason = http.client.responses.get(status, "")
    kind = headers.get("content-type") or headers.get("Content-Type") or "no content type"
    text = " ".join(body.decode("utf-8", "replace").split())
    quoted = f': "{text[:SHOWN]}{"..." if len(text) > SHOWN else ""}"' if text else ", with no body"
    return f"HTTP {status} {reason} ({kind}){quoted}"
