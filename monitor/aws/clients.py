"""The one place boto3 clients are made: retry mode, endpoint, and credentials for the emulator."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from typing import TYPE_CHECKING

import botocore.session
from botocore.config import Config as BotoConfig

from monitor.aws import retries

if TYPE_CHECKING:   # boto3 is imported where a session is made: a command that talks to no AWS never loads it
    import boto3

# "standard" retry mode (botocore docs, "Retries"), with per-failure budgets on top: see
# monitor/aws/retries.py. `total_max_attempts` counts the first call; `max_attempts` would not.
RETRIES = {"mode": "standard", "total_max_attempts": retries.THROTTLED_ATTEMPTS}
USER_AGENT = "ecs-monitor"


def endpoint_problem(url: str) -> str | None:
    """What is wrong with an endpoint URL botocore would choke on, or None.

    botocore needs a scheme and a host (`http://localhost:5000`); `localhost:5000` parses
    with `localhost` as the scheme and fails deep inside a request.
    """
    try:
        parts = urlsplit(url)
        parts.port   # raises for a port that is not a number from 0 to 65535
    except ValueError as error:   # also an unclosed IPv6 bracket: http://[::1
        return f"not a URL ({error}); write it like http://localhost:5000"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        host = url.split("://")[-1].strip("/") or "localhost:5000"
        return f"not an http(s) URL with a host; write it like http://{host}"
    return None


@dataclass
class Target:
    """Where the commands talk to: region, profile and an optional emulator endpoint."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    local: bool = False   # the embedded emulator: fixed fake credentials, never the user's


# Endpoints of embedded emulators serving in this process: clients for them use the fake
# credentials below even when reached through --endpoint-url, as the demo's steps are.
LOCAL_ENDPOINTS: set[str] = set()

# moto accepts any credentials; these keep the user's real ones out of emulator runs.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing",
                    "aws_session_token": "testing"}


def local_session(region: str | None) -> boto3.Session:
    """A session for the emulator: fake credentials, and no profile, not even AWS_PROFILE's."""
    import boto3
    isolated = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    return boto3.Session(botocore_session=isolated, region_name=region, **FAKE_CREDENTIALS)


@dataclass
class Clients:
    """Lazily made clients sharing one session; `calls` counts API calls by operation, and
    `errors` every failed attempt (retries included) by (operation, error code).

    `region_name` overrides the session's Region: `in_region` makes such clients for log
    groups that live in another Region than the config's (`awslogs-region`). `silence` is the
    command's one budget against a silent endpoint, shared with those clients (retries.Silence).
    """

    target: Target
    calls: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    silence: retries.Silence = field(default_factory=retries.Silence)
    _made: dict = field(default_factory=dict)
    _session: boto3.Session | None = None
    region_name: str | None = None
    _regions: dict = field(default_factory=dict)

    def __getattr__(self, service: str):
        if service.startswith("_"):
            raise AttributeError(service)
        if service not in self._made:
            self._made[service] = self._client(service)
        return self._made[service]

    @property
    def region(self) -> str | None:
        """The home Region: the one these clients talk to."""
        return self.region_name or self._boto_session().region_name

    def in_region(self, name: str | None) -> Clients:
        """Clients for another Region with the same credentials, endpoint and call counter; None is home."""
        if name is None or name == self.region:
            return self
        if name not in self._regions:
            self._regions[name] = Clients(self.target, self.calls, self.errors, self.silence,
                                          _session=self._boto_session(), region_name=name)
        return self._regions[name]

    def _boto_session(self) -> boto3.Session:
        if self._session is None:
            import boto3
            local = self.target.local or self.target.endpoint_url in LOCAL_ENDPOINTS
            self._session = local_session(self.target.region) if local else \
                boto3.Session(profile_name=self.target.profile, region_name=self.target.region)
        return self._session

    def _client(self, service: str):
        config = BotoConfig(retries=RETRIES, user_agent_extra=USER_AGENT, connect_timeout=retries.CONNECT_TIMEOUT,
                            read_timeout=retries.READ_TIMEOUT)
        client = self._boto_session().client(service, region_name=self.region_name,
                                            endpoint_url=self.target.endpoint_url, config=config)
        retries.install(client, self.silence)
        client.meta.events.register("before-call", self._count)
        client.meta.events.register("needs-retry", self._count_error)
        return client

    def _count(self, model, **_) -> None:
        self.calls[model.name] += 1

    def _count_error(self, operation=None, response=None, caught_exception=None, **_) -> None:
        """Each attempt's outcome (botocore emits needs-retry after every attempt): an AWS error code,
        an HTTP status with none, or the exception that stood for an answer (a timeout, no connection)."""
        code = error_code(response, caught_exception)
        if code is not None and operation is not None:
            self.errors[(operation.name, code)] += 1


def error_code(response, caught_exception) -> str | None:
    """`ThrottlingException`, `HTTP 503`, `ReadTimeoutError`; None for a success."""
    if caught_exception is not None:
        return type(caught_exception).__name__
    if response is None:
        return None
    http, parsed = response
    code = (parsed or {}).get("Error", {}).get("Code")
    if code:
        return code
    return f"HTTP {http.status_code}" if http.status_code >= 400 else None
