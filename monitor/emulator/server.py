"""An embedded AWS emulator: moto in server mode, corrected where moto is laxer than AWS.

`--local`, `monitor demo` and the tests run against it, so a change that AWS would refuse
(a 101st filter, a filter on a missing log group, ...) is refused here too.

It also makes data flow as in AWS: log events put into a log group become metric data through
the group's metric filters (monitor/emulator/logmetrics.py), and metric alarms change state as their
data says (monitor/emulator/alarmstate.py).

The corrections patch moto's internals (LogsBackend, MetricFilters, LogsResponse, the logs
PAGINATION_MODEL, CloudWatchBackend, CloudWatchResponse, ResourceGroupsTaggingAPIResponse, and ECS's
Service), which
are no API and change between minor releases: pyproject pins moto to the 5.2 series they were written and tested against
(>=5.2.5,<5.3).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import functools
import itertools
import json
import logging
import os
import socket
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from moto.cloudwatch.exceptions import ValidationError as CloudWatchInvalid
from moto.cloudwatch.models import CloudWatchBackend, Dimension
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.logs.exceptions import InvalidParameterException as Invalid
from moto.logs.exceptions import LimitExceededException, ResourceNotFoundException
from moto.logs.metric_filters import MetricFilters
from moto.logs.models import LogsBackend
from moto.logs.responses import LogsResponse
from moto.logs.utils import PAGINATION_MODEL
from moto.resourcegroupstaggingapi.exceptions import ResourceGroupsTaggingAPIError as TaggingError
from moto.resourcegroupstaggingapi.models import ResourceGroupsTaggingAPIBackend as TaggingBackend
from moto.resourcegroupstaggingapi.responses import ResourceGroupsTaggingAPIResponse as TaggingResponse
from moto.server import ThreadedMotoServer
from moto.utilities.paginator import paginate

from monitor import quotas
from monitor.aws.clients import LOCAL_ENDPOINTS, local_session  # fake credentials: any signature works
from monitor.emulator import alarmstate, bands, composites, ecsnetwork, logkms, logmetrics
from monitor.patterns import PatternError, parse
from monitor.quotas import units  # StandardUnit, read from botocore's logs model

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
    region: str, clusters: Iterable[str] = (), log_groups: Iterable[str] = (), port: int = 0,
    task_definitions: Iterable[dict] = (),
) -> Emulator:
    """Serve a corrected moto on 127.0.0.1 and seed it, so callers need only the URL.

    task_definitions: RegisterTaskDefinition inputs, registered once per family.
    """
    _forget_profile()   # first: installing the patches imports moto.ec2, which makes a boto3 Session
    install_fidelity_patches()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # drop per-request lines
    server = ThreadedMotoServer(ip_address=HOST, port=_claim(port), verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    emulator = Emulator(f"http://{host}:{bound}", region, server)
    LOCAL_ENDPOINTS.add(emulator.url)
    try:
        _wait_until_answering(emulator.url)
        _seed(emulator, list(clusters), list(log_groups), list(task_definitions))
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


def _seed(emulator: Emulator, clusters: list[str], log_groups: list[str], task_definitions: list[dict]) -> None:
    """Create only what is missing: state outlives a stopped emulator in this process."""
    ecs = _client(emulator, "ecs")
    for definition in task_definitions:
        try:
            ecs.describe_task_definition(taskDefinition=definition["family"])
        except ecs.exceptions.ClientException:
            ecs.register_task_definition(**definition)
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
    logkms.install()
    Dimension.__lt__ = _dimension_order
    CloudWatchResponse.put_composite_alarm = _put_composite_alarm
    CloudWatchBackend.delete_alarms = _one_composite_a_call(CloudWatchBackend.delete_alarms)
    composites.install()   # after the two lines above: it wraps what they set
    bands.install()
    ecsnetwork.install()
    TaggingResponse.get_resources = _get_resources
    CloudWatchResponse.describe_alarms = _paged_alarms(CloudWatchResponse.describe_alarms)
    setattr(LogsBackend, _PATCHED, True)


def _dimension_order(self: Dimension, other: Dimension) -> bool:
    # Patch 11. A metric is identified by its dimensions whatever their order (CloudWatch User Guide,
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


# --- Composite alarms: hooks CloudWatchResponse and CloudWatchBackend.delete_alarms ---


def _put_composite_alarm(self: CloudWatchResponse) -> EmptyResult:
    # Patch 7. moto keeps composite alarms (an alarm with a `rule`, answered in DescribeAlarms'
    # CompositeAlarms) but answered PutCompositeAlarm with NotImplementedError: it is wired here.
    # Like PutMetricAlarm it creates or replaces; Tags count only on create (PutCompositeAlarm API
    # reference), which moto's tagger, keyed by ARN, already does when none are sent on update.
    self.cloudwatch_backend.put_metric_alarm(
        name=self._get_param("AlarmName"), namespace=None, metric_name=None, comparison_operator=None,
        evaluation_periods=None, period=None, threshold=None, statistic=None,
        description=self._get_param("AlarmDescription"), dimensions=[],
        alarm_actions=self._get_param("AlarmActions", []), ok_actions=self._get_param("OKActions", []),
        insufficient_data_actions=self._get_param("InsufficientDataActions", []),
        actions_enabled=self._get_bool_param("ActionsEnabled"), rule=self._get_param("AlarmRule"),
        tags=self._get_param("Tags", []))
    return EmptyResult()


def _one_composite_a_call(delete: Wrapped) -> Wrapped:
    # Patch 8. DeleteAlarms: "You can delete up to 100 alarms in one operation. However, this total
    # can include no more than one composite alarm" (API reference); moto deleted any number.
    @functools.wraps(delete)
    def checked(self: CloudWatchBackend, alarm_names: list[str]) -> None:
        composites = [name for name in alarm_names if name in self.alarms and self.alarms[name].rule is not None]
        if len(composites) > quotas.DELETE_COMPOSITE_ALARMS:
            raise CloudWatchInvalid("DeleteAlarms can delete at most one composite alarm a call")
        delete(self, alarm_names)

    return checked


# --- GetResources: replaces ResourceGroupsTaggingAPIResponse.get_resources ---


def _get_resources(self: TaggingResponse) -> ActionResult:
    # Patch 9. GetResources pages by `ResourcesPerPage` (1-100), and by `TagsPerPage` (100-500) only
    # when it is sent: "Amazon Web Services recommends using ResourcesPerPage instead of this
    # parameter", and a page holds up to that many tags, a resource without tags counting as one and
    # never split from its tags (its example: TagsPerPage 100 over 22 resources of 10 tags each makes
    # pages of 10, 10 and 2). GetResources API reference,
    # https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html.
    # moto applied a limit of 100 tags to every request, one tag short, so 100 resources of one
    # tag took two pages and 100 of four tags, five.
    resources_per_page = self._get_int_param("ResourcesPerPage", 50)
    tags_per_page = self._get_int_param("TagsPerPage")
    if tags_per_page is not None and tags_per_page not in range(100, 501):
        raise TaggingError("InvalidParameterException", "TagsPerPage must be between 100 and 500")
    if resources_per_page not in range(1, 101):
        raise TaggingError("InvalidParameterException", "ResourcesPerPage must be between 1 and 100")
    token, page = _tagged_page(self.backend, self._get_param("PaginationToken"), resources_per_page, tags_per_page,
                               tag_filters=self._get_param("TagFilters", []),
                               resource_type_filters=self._get_param("ResourceTypeFilters", []),
                               resource_arn_list=self._get_param("ResourceARNList", []))
    return ActionResult({"ResourceTagMappingList": [
        {"ResourceARN": resource.arn, "Tags": [{"Key": k, "Value": v} for k, v in resource.tags.items()]}
        for resource in page], "PaginationToken": token})


def _tagged_page(backend: TaggingBackend, token: str | None, per_page: int, tags_per_page: int | None,
                 **filters: Any) -> tuple[str | None, list]:
    """One page, and the token of the next (moto's: a generator kept under a random token) or None."""
    if token:
        if token not in backend._pages:
            raise TaggingError("PaginationTokenExpiredException", "Token does not exist")
        kept = backend._pages.pop(token)
        resources = itertools.chain([kept["misc"]], kept["gen"])
    else:
        resources = backend._get_resources_generator(**filters)
    page: list = []
    tags = 0
    for resource in resources:
        size = max(1, len(resource.tags))
        if len(page) >= per_page or (tags_per_page and page and tags + size > tags_per_page):
            token = str(uuid.uuid4())
            backend._pages[token] = {"gen": resources, "misc": resource}
            return token, page
        page.append(resource)
        tags += size
    return None, page


# --- DescribeAlarms: wraps CloudWatchResponse.describe_alarms ---


def _paged_alarms(describe: Wrapped) -> Wrapped:
    # Patch 10. DescribeAlarms returns at most `MaxRecords` alarms (1-100) and a NextToken for the
    # rest (DescribeAlarms API reference,
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html);
    # moto ignored MaxRecords and answered everything at once. Pages follow the names' order, metric
    # and composite alarms counted together; the token is the last name given. Without MaxRecords the
    # answer is left whole: the reference names no default page size.
    @functools.wraps(describe)
    def paged(self: CloudWatchResponse) -> ActionResult:
        answer = describe(self)
        limit = self._get_int_param("MaxRecords")
        if limit is None:
            return answer
        if limit not in range(1, quotas.DESCRIBE_ALARMS_PAGE + 1):
            raise CloudWatchInvalid(f"MaxRecords must be between 1 and {quotas.DESCRIBE_ALARMS_PAGE}")
        found = answer.result
        after = self._get_param("NextToken") or ""
        alarms = sorted((a for key in ("MetricAlarms", "CompositeAlarms") for a in found[key] if a.name > after),
                        key=lambda a: a.name)
        page = alarms[:limit]
        result = {"MetricAlarms": [a for a in page if a.rule is None],
                  "CompositeAlarms": [a for a in page if a.rule is not None]}
        if len(alarms) > limit:
            result["NextToken"] = page[-1].name
        return ActionResult(result)

    return paged
