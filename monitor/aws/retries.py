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
"""

from __future__ import annotations

from botocore.exceptions import ConnectionError as NoConnection
from botocore.exceptions import ReadTimeoutError
from botocore.retries import quota, standard
from botocore.retries.base import BaseRetryableChecker

CONNECT_TIMEOUT = 5      # seconds to open a connection (botocore's default: 60)
READ_TIMEOUT = 10        # seconds to wait for an answer (botocore's default: 60)
THROTTLED_ATTEMPTS = 10  # an answer that says "slow down": back off (up to 20 s) and try again
SERVER_ATTEMPTS = 3      # a 5xx or other transient answer
SILENT_ATTEMPTS = 2      # no connection, or no answer within READ_TIMEOUT
# Never retried: waiting does not raise a quota. CloudWatch Logs PutMetricFilter, "Errors":
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
FINAL_CODES = frozenset({"LimitExceededException"})
BOTOCORE_HANDLER_ID = "retry-config-{service}"   # the unique_id register_retry_handler uses


class Budgeted(BaseRetryableChecker):
    """botocore's standard conditions decide whether to retry; the kind of failure decides how often."""

    def __init__(self, throttling: standard.ThrottlingErrorDetector):
        self._throttling = throttling
        self._retryable = standard.StandardRetryConditions(max_attempts=THROTTLED_ATTEMPTS)
        self._throttled = standard.MaxAttemptsChecker(THROTTLED_ATTEMPTS)
        self._server = standard.MaxAttemptsChecker(SERVER_ATTEMPTS)
        self._silent = standard.MaxAttemptsChecker(SILENT_ATTEMPTS)

    def is_retryable(self, context: standard.RetryContext) -> bool:
        if context.get_error_code() in FINAL_CODES or not self._retryable.is_retryable(context):
            return False
        return self._budget(context).is_retryable(context)

    def _budget(self, context: standard.RetryContext) -> standard.MaxAttemptsChecker:
        if isinstance(context.caught_exception, (NoConnection, ReadTimeoutError)):
            return self._silent
        if self._throttling.is_throttling_error_from_context(context):
            return self._throttled
        return self._server


def install(client) -> None:
    """Swap the client's standard retry handler for one with per-failure budgets.

    Ours is registered first and answers False (botocore/endpoint.py `_needs_retry`: "no
    retry") rather than None, so it decides even if botocore ever renamed its handler's id.
    """
    service = client.meta.service_model.service_id.hyphenize()
    handler, retry_quota = _handler(service)
    events = client.meta.events
    events.unregister(f"needs-retry.{service}", unique_id=BOTOCORE_HANDLER_ID.format(service=service))
    events.register_first(f"needs-retry.{service}", _decisive(handler.needs_retry),
                          unique_id=f"ecs-monitor-retry-{service}")
    events.register(f"after-call.{service}", retry_quota.release_retry_quota)


def _handler(service: str) -> tuple[standard.RetryHandler, standard.RetryQuotaChecker]:
    """As `standard.register_retry_handler` builds it, with our checker: same backoff and retry quota."""
    adapter = standard.RetryEventAdapter()
    throttling = standard.ThrottlingErrorDetector(adapter)
    retry_quota = standard.RetryQuotaChecker(quota.RetryQuota(), throttling)
    backoff = standard.ExponentialBackoff(service_name=service, throttling_detector=throttling)
    policy = standard.RetryPolicy(retry_checker=Budgeted(throttling), retry_backoff=backoff)
    return standard.RetryHandler(policy, adapter, retry_quota, service_name=service), retry_quota


def _decisive(needs_retry):
    """A delay (retry after it) or False (do not), never None (which lets later handlers decide)."""
    def decide(**kwargs):
        delay = needs_retry(**kwargs)
        return False if delay is None else delay
    return decide
