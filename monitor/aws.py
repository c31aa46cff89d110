"""The one place boto3 clients are made: retry mode, endpoint, and one-line credential errors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import boto3
import botocore.exceptions as bx
import botocore.session
from botocore.config import Config as BotoConfig

# "standard" retry mode retries throttling and transient errors with backoff
# (botocore docs, "Retries": standard mode, default 3 attempts; we allow 10).
RETRIES = {"mode": "standard", "max_attempts": 10}
USER_AGENT = "ecs-monitor"


@dataclass
class Target:
    """Where the commands talk to: region, profile and an optional emulator endpoint."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    local: bool = False   # the embedded emulator: fixed fake credentials, never the user's


# moto accepts any credentials; these keep the user's real ones out of emulator runs.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing",
                    "aws_session_token": "testing"}


def local_session(region: str | None) -> boto3.Session:
    """A session for the emulator: fake credentials, and no profile, not even AWS_PROFILE's."""
    isolated = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    return boto3.Session(botocore_session=isolated, region_name=region, **FAKE_CREDENTIALS)


@dataclass
class Clients:
    """Lazily made clients sharing one session; `calls` counts API calls by operation."""

    target: Target
    calls: Counter = field(default_factory=Counter)
    _made: dict = field(default_factory=dict)
    _session: boto3.Session | None = None

    def __getattr__(self, service: str):
        if service.startswith("_"):
            raise AttributeError(service)
        if service not in self._made:
            self._made[service] = self._client(service)
        return self._made[service]

    def _boto_session(self) -> boto3.Session:
        if self._session is None:
            self._session = local_session(self.target.region) if self.target.local else \
                boto3.Session(profile_name=self.target.profile, region_name=self.target.region)
        return self._session

    def _client(self, service: str):
        config = BotoConfig(retries=RETRIES, user_agent_extra=USER_AGENT)
        client = self._boto_session().client(service, endpoint_url=self.target.endpoint_url, config=config)
        client.meta.events.register("before-call", self._count)
        return client

    def _count(self, model, **_) -> None:
        self.calls[model.name] += 1


def explain(error: Exception) -> str | None:
    """A one-line message naming what to fix, for the AWS errors a user can fix; else None."""
    if isinstance(error, (bx.NoCredentialsError, bx.PartialCredentialsError)):
        return "no AWS credentials found: set AWS_PROFILE or --profile, run `aws sso login`, or assume a role"
    if isinstance(error, bx.ProfileNotFound):
        return f"{error}: check --profile / AWS_PROFILE against ~/.aws/config"
    if isinstance(error, bx.NoRegionError):
        return "no AWS Region: give --region, set `region:` in the config, or set AWS_REGION"
    if isinstance(error, (bx.TokenRetrievalError, bx.SSOTokenLoadError, bx.UnauthorizedSSOTokenError)):
        return "the SSO session has expired: run `aws sso login` (with your --profile) and try again"
    if isinstance(error, bx.EndpointConnectionError):
        return f"cannot reach {error.kwargs.get('endpoint_url')}: check --region (is it a real Region?) or --endpoint-url"
    if isinstance(error, bx.ClientError):
        return _client_error(error)
    return None


CREDENTIAL_CODES = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
IDENTITY_CODES = {"UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
                  "SignatureDoesNotMatch", "AuthFailure"}
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}


def _client_error(error: bx.ClientError) -> str | None:
    code = error.response.get("Error", {}).get("Code", "")
    operation = error.operation_name
    if code in CREDENTIAL_CODES:
        return "the AWS credentials have expired: refresh them (`aws sso login`, or re-assume the role)"
    if code in IDENTITY_CODES:
        return (f"AWS did not recognise the credentials ({code} on {operation}): check the access key, "
                "the profile, and that the Region is enabled for the account")
    if code in DENIED_CODES:
        return f"access denied for {operation}: grant it to the role or user running monitor ({code})"
    return None
