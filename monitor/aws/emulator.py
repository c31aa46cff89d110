"""An embedded AWS emulator: moto in server mode, corrected where moto is laxer than AWS.

`--local`, `monitor demo` and the tests run against it, so a change that AWS would refuse
(a 101st filter, a filter on a missing log group, ...) is refused here too.

It also makes data flow as in AWS: log events put into a log group become metric data through
the group's metric filters (monitor/aws/logmetrics.py), and metric alarms change state as their
data says (monitor/aws/alarmstate.py).

The corrections patch moto's internals (LogsBackend, MetricFilters, LogsResponse, the logs
PAGINATION_MODEL, CloudWatchBackend, CloudWatchResponse), which are no API and change between
minor releases: pyproject pins moto to the 5.2 series they were written and tested against
(>=5.2.5,<5.3).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import functools
import json
import logging
import os
import socket
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from moto.cloudwatch.models import Dimension
from moto.logs.exceptions import InvalidParameterException as Invalid
from moto.logs.exceptions import LimitExceededException, ResourceNotFoundException
from moto.logs.metric_filters import MetricFilters
from moto.logs.models import LogsBackend
from moto.logs.responses import LogsResponse
from moto.logs.utils import PAGINATION_MODEL
from moto.server import ThreadedMotoServer

from monitor.aws import alarmstate, logmetrics
from monitor.aws.clients import LOCAL_ENDPOINTS, local_session  # fake credentials: any signature works
from monitor import quotas
from monitor.patterns import PatternError, parse
from monitor.quotas import units  # StandardUnit, read from botocore's logs model
from moto.utilities.paginator import paginate

Filter = dict[str, Any]
Wrapped = Callable[..., Any]

HOST = "127.0.0.1"
READY_TIMEOUT = 10.0
MAX_FILTERS_PER_GROUP = quotas.FILTERS_PER_GROUP
MAX_PAGE = quotas.METRIC_FILTERS_PAGE
MAX_DIMENSIONS = quotas.DIMENSIONS
MAX_IDENTIFIERS = quotas.LOG_GROUP_IDENTIFIERS
_PATCHED = "_ecs_monitor_fidelity_patched"


@dataclass
class Emulator:
    """A running emulator. moto keeps state per process: emulators in one process share it."""

    url: str
    region: str
    _server: ThreadedMotoServer | None = field(default=None, repr=False, compare=False)

    def stop(self) -> None:
        """Free the port; idempotent so `with` and an explicit stop can mix."""
        if self._server is not None:
            LOCAL_ENDPOINTS.discard(self.url)
            self._server.stop()
            self._server = None

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start(
    region: str, clusters: Iterable[str] = (), log_groups: Iterable[str] = (), port: int = 0
) -> Emulator:
    """Serve a corrected moto on 127.0.0.1 and seed it, so callers need only the URL."""
    install_fidelity_patches()
    _forget_profile()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # drop per-request lines
    server = ThreadedMotoServer(ip_address=HOST, port=_claim(port), verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    emulator = Emulator(f"http://{host}:{bound}", region, server)
    LOCAL_ENDPOINTS.add(emulator.url)
    try:
        _wait_until_answering(emulator.url)
        _seed(emulator, list(clusters), list(log_groups))
    except BaseException:
        emulator.stop()
        raise
    return emulator


def _forget_profile() -> None:
    """moto, serving in this process, makes boto3 sessions of its own: a profile named in the
    environment that this machine does not have would break every request it serves."""
    for variable in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        os.environ.pop(variable, None)


def _claim(port: int) -> int:
    """Probe a fixed port: ThreadedMotoServer.start() hangs if its own bind fails."""
    if port:  # port 0: werkzeug binds a free port itself and keeps it, so no race
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((HOST, port))
    return port


def _wait_until_answering(url: str) -> None:
    """A bound socket is not yet a serving app; poll moto's own API until it replies."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        try:
            opener.open(f"{url}/moto-api/config", timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _client(emulator: Emulator, service: str, region: str | None = None) -> Any:
    """Explicit fake credentials: seeding never reaches real AWS nor reads the environment."""
    return local_session(region or emulator.region).client(service, endpoint_url=emulator.url)


def _seed(emulator: Emulator, clusters: list[str], log_groups: list[str]) -> None:
    """Create only what is missing: state outlives a stopped emulator in this process."""
    ecs = _client(emulator, "ecs")
    found = ecs.describe_clusters(clusters=clusters)["clusters"] if clusters else []
    active = {c["clusterName"] for c in found if c["status"] == "ACTIVE"}
    for name in (c for c in clusters if c not in active):
        ecs.create_cluster(clusterName=name)
    for entry in log_groups:   # `region:name` for a group in another Region (names hold no `:`)
        region, _, name = entry.rpartition(":")
        logs = _client(emulator, "logs", region)
        try:
            logs.create_log_group(logGroupName=name)
        except logs.exceptions.ResourceAlreadyExistsException:
            pass


def install_fidelity_patches() -> None:
    """Make moto refuse what AWS refuses; once per process, also usable under mock_aws."""
    if getattr(LogsBackend, _PATCHED, False):
        return
    backend, response = LogsBackend, LogsResponse
    MetricFilters.add_filter = _replacing(MetricFilters.add_filter)
    backend.put_metric_filter = _checked_put(backend.put_metric_filter)
    backend.describe_metric_filters = _sorted_filters(backend.describe_metric_filters)
    response.describe_metric_filters = _paged_filters(response.describe_metric_filters)
    unpaged = backend.describe_log_groups.__wrapped__  # type: ignore[attr-defined]
    backend.describe_log_groups = _groups_by_identifier(unpaged)
    response.describe_log_groups = _identified_groups(response.describe_log_groups)
    logmetrics.install()
    alarmstate.install()
    Dimension.__lt__ = _dimension_order
    setattr(LogsBackend, _PATCHED, True)


def _dimension_order(self: Dimension, other: Dimension) -> bool:
    # Patch 8. A metric is identified by its dimensions whatever their order (CloudWatch User Guide,
    # "Dimensions"); moto's GetMetricData compares sorted() lists, but its Dimension.__lt__ compares a
    # value with a name, so the same dimensions given in another order matched nothing.
    return (self.name or "", self.value or "") < (other.name or "", other.value or "")


# --- PutMetricFilter: hooks MetricFilters.add_filter and LogsBackend.put_metric_filter ---


def _replacing(add_filter: Wrapped) -> Wrapped:
    # Patch 1. AWS PutMetricFilter "Creates or updates a metric filter": a filter name is
    # unique within its log group, so a second put replaces it (moto appended a duplicate).
    @functools.wraps(add_filter)
    def add(self: MetricFilters, name: str, pattern: str, group: str, transforms: Any) -> None:
        self.metric_filters = [f for f in self.metric_filters if _key(f) != (name, group)]
        add_filter(self, name, pattern, group, transforms)

    return add


def _checked_put(put: Wrapped) -> Wrapped:
    """Validate the request like AWS before moto stores anything."""

    @functools.wraps(put)
    def checked(self: LogsBackend, name: str, pattern: str, group: str, transforms: Any) -> None:
        _check_pattern(pattern)
        for transform in transforms:
            _check_transformation(transform)
        _require_group(self, group)
        _require_room(self.filters.get_matching_filters(log_group_name=group), name)
        put(self, name, pattern, group, transforms)

    return checked


def _require_group(backend: LogsBackend, group: str) -> None:
    # Patch 2. PutMetricFilter and DescribeMetricFilters raise ResourceNotFoundException
    # for a missing log group (AWS API reference, botocore logs model); moto took any name.
    if group not in backend.groups:
        raise ResourceNotFoundException("The specified log group does not exist.")


def _require_room(on_group: list[Filter], name: str) -> None:
    # Patch 3. AWS PutMetricFilter: "The maximum number of metric filters that can be
    # associated with a log group is 100" -> LimitExceededException. Replacing adds nothing.
    replacing = any(f["filterName"] == name for f in on_group)
    if len(on_group) >= MAX_FILTERS_PER_GROUP and not replacing:
        raise LimitExceededException()


def _check_pattern(pattern: str) -> None:
    # Patch 7. AWS PutMetricFilter refuses a pattern it cannot parse (InvalidParameterException);
    # moto stored any text. Our engine is the judge, as it is for `monitor validate`.
    try:
        parse(pattern)
    except PatternError as error:
        raise Invalid(f"Invalid metric filter pattern: {error}") from None


def _check_transformation(transform: Filter) -> None:
    # Patch 6. AWS MetricTransformation: unit is a StandardUnit (botocore logs model); "as
    # many as three dimensions"; a filter with dimensions cannot set a default value
    # (CloudWatch Logs User Guide, "Publishing dimensions with metrics"). moto took all three.
    unit, dimensions = transform.get("unit"), transform.get("dimensions") or {}
    if unit is not None and unit not in units():
        enum = f"satisfy enum value set: [{', '.join(units())}]"
        raise _invalid("metricTransformations.1.member.unit", unit, enum)
    if len(dimensions) > MAX_DIMENSIONS:
        raise Invalid(f"A metric filter can have at most {MAX_DIMENSIONS} dimensions.")
    if dimensions and transform.get("defaultValue") is not None:
        raise Invalid("A metric filter with dimensions cannot have a default value.")


def _invalid(parameter: str, value: Any, constraint: str) -> Invalid:
    """AWS's "1 validation error detected" wording, as moto words its own checks."""
    return Invalid(constraint=f"Member must {constraint}", parameter=parameter, value=value)


# --- DescribeMetricFilters: hooks LogsBackend and LogsResponse.describe_metric_filters ---


def _sorted_filters(describe: Wrapped) -> Wrapped:
    # Patch 4a. AWS DescribeMetricFilters: "The results are ASCII-sorted by filter name";
    # filterNamePrefix is used "only if you also include the logGroupName parameter";
    # a missing logGroupName is ResourceNotFoundException.
    @functools.wraps(describe)
    def ordered(
        self: LogsBackend, prefix: Any = None, group: Any = None, name: Any = None, ns: Any = None
    ) -> list[Filter]:
        if group is not None:
            _require_group(self, group)
        return sorted(describe(self, prefix if group else None, group, name, ns), key=_key)

    return ordered


def _key(metric_filter: Filter) -> tuple[str, str]:
    """Code-point order is ASCII order; the log group breaks ties between groups."""
    return (metric_filter["filterName"], metric_filter["logGroupName"])


def _paged_filters(respond: Wrapped) -> Wrapped:
    # Patch 4b. AWS DescribeMetricFilters: limit is a DescribeLimit (1..50, default 50) and
    # nextToken resumes the listing (botocore paginators-1.json); moto returned everything.
    @functools.wraps(respond)
    def paged(self: LogsResponse) -> str:
        limit = _page_limit(self._get_param("limit", MAX_PAGE))
        filters = json.loads(respond(self))["metricFilters"]
        start = _resume_at(filters, self._get_param("nextToken"))
        page = filters[start : start + limit]
        token = _token(page[-1]) if start + limit < len(filters) else None
        return json.dumps(_compact({"metricFilters": page, "nextToken": token}))

    return paged


def _page_limit(limit: int) -> int:
    """botocore checks only the minimum client-side, so the server enforces the maximum."""
    if not 1 <= limit <= MAX_PAGE:
        raise _invalid("limit", limit, f"have value between 1 and {MAX_PAGE}")
    return limit


def _token(last: Filter) -> str:
    """A cursor after the last item, not an offset, so deletes between pages skip nothing."""
    return base64.urlsafe_b64encode(json.dumps(_key(last)).encode()).decode()


def _resume_at(filters: list[Filter], token: str | None) -> int:
    """Index of the first filter after the cursor; filters are already in _key order."""
    if token is None:
        return 0
    try:
        after = tuple(json.loads(base64.urlsafe_b64decode(token.encode())))
    except (binascii.Error, ValueError, TypeError):
        raise Invalid("The specified nextToken is invalid.") from None
    return bisect.bisect_right(filters, after, key=_key)


def _compact(body: Filter) -> Filter:
    """AWS omits nextToken on the last page; botocore's paginator stops on its absence."""
    return {k: v for k, v in body.items() if v is not None}


# --- DescribeLogGroups: hooks LogsBackend and LogsResponse.describe_log_groups ---


def _groups_by_identifier(unpaged: Wrapped) -> Wrapped:
    # Patch 5a. AWS DescribeLogGroups: logGroupIdentifiers filters "the list of log groups
    # returned"; moto ignored it. Re-wrapped in moto's own paginator and pagination model.
    @paginate(pagination_model=PAGINATION_MODEL)
    def describe_log_groups(
        self: LogsBackend, log_group_name_prefix: str | None = None, identifiers: Any = None
    ) -> list[Any]:
        groups = unpaged(self, log_group_name_prefix)
        return groups if identifiers is None else [g for g in groups if g.name in identifiers]

    return describe_log_groups


def _identified_groups(respond: Wrapped) -> Wrapped:
    # Patch 5b. AWS DescribeLogGroups: 1..50 identifiers, and with them "the only other
    # filter that you can choose to specify is includeLinkedAccounts" (botocore logs model).
    @functools.wraps(respond)
    def identified(self: LogsResponse) -> str:
        identifiers = self._get_param("logGroupIdentifiers")
        if identifiers is None:
            return respond(self)
        _check_identifiers(identifiers, self._get_param("logGroupNamePrefix"))
        groups, token = self.logs_backend.describe_log_groups(
            limit=_page_limit(self._get_param("limit", MAX_PAGE)),
            next_token=self._get_param("nextToken"),
            identifiers=identifiers,
        )
        described = [g.to_describe_dict() for g in groups]
        return json.dumps(_compact({"logGroups": described, "nextToken": token}))

    return identified


def _check_identifiers(identifiers: list[str], prefix: str | None) -> None:
    """Refuse what AWS refuses rather than silently widening or narrowing the listing."""
    if not 1 <= len(identifiers) <= MAX_IDENTIFIERS:
        bounds = f"have length between 1 and {MAX_IDENTIFIERS}"
        raise _invalid("logGroupIdentifiers", identifiers, bounds)
    if prefix is not None:
        raise Invalid("Specify logGroupIdentifiers or logGroupNamePrefix, not both.")
