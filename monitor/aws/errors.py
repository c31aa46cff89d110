"""AWS errors a person can fix, each turned into one line that names the fix."""

from __future__ import annotations

import botocore.exceptions as bx
from botocore.parsers import ResponseParserError

from monitor.aws import retries

# What botocore raises for an answer it cannot read as its protocol's (XML, JSON, CBOR): an empty
# or HTML body from a server that is not an AWS API. It is no BotoCoreError, so it is named here.
UNREADABLE = (ResponseParserError,)


def explain(error: Exception, endpoint: str | None = None) -> str | None:
    """A one-line message naming what to fix, for the AWS errors a user can fix; else None.
    `endpoint` is the --endpoint-url (or AWS_ENDPOINT_URL) in use, for errors that do not carry it."""
    if isinstance(error, (bx.NoCredentialsError, bx.PartialCredentialsError)):
        return "no AWS credentials found: set AWS_PROFILE or --profile, run `aws sso login`, or assume a role"
    if isinstance(error, bx.ProfileNotFound):
        return f"{error}: check --profile / AWS_PROFILE against ~/.aws/config"
    if isinstance(error, bx.NoRegionError):
        return "no AWS Region: give --region, set `region:` in the config, or set AWS_REGION"
    if isinstance(error, (bx.TokenRetrievalError, bx.SSOTokenLoadError, bx.UnauthorizedSSOTokenError)):
        return "the SSO session has expired: run `aws sso login` (with your --profile) and try again"
    if isinstance(error, (bx.ReadTimeoutError, bx.ConnectTimeoutError)):
        return _silent(error)
    if isinstance(error, bx.EndpointConnectionError):
        return f"cannot reach {error.kwargs.get('endpoint_url')}: check --region (is it a real Region?) or --endpoint-url"
    if isinstance(error, bx.ClientError):
        return _client_error(error, endpoint)
    if isinstance(error, UNREADABLE):
        return _unreadable(endpoint)
    return None


def _unreadable(endpoint: str | None) -> str:
    """An answer that is not an AWS API's (an empty 404 from a plain web server, say): AWS APIs
    answer in their protocol's format, errors included (AWS SDK error responses; e.g. the STS
    API reference, Common Errors, https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html)."""
    where = endpoint or "the AWS endpoint"
    return (f"{where} answered with something that is not an AWS API response: is it an AWS API "
            "(or an emulator)? check --endpoint-url / AWS_ENDPOINT_URL")


def _silent(error: bx.ReadTimeoutError | bx.ConnectTimeoutError) -> str:
    """An endpoint that never answered: name it, and how long we waited, so the user can judge."""
    reading = isinstance(error, bx.ReadTimeoutError)
    what, seconds = ("no answer from", retries.READ_TIMEOUT) if reading else ("no connection to", retries.CONNECT_TIMEOUT)
    return (f"{what} {error.kwargs.get('endpoint_url')} within {seconds} s ({retries.SILENT_ATTEMPTS} tries): "
            "check --endpoint-url (or --region), the network and any proxy")


CREDENTIAL_CODES = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
IDENTITY_CODES = {"UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
                  "SignatureDoesNotMatch", "AuthFailure"}
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}


def _client_error(error: bx.ClientError, endpoint: str | None = None) -> str | None:
    code = error.response.get("Error", {}).get("Code", "")
    operation = error.operation_name
    if code in CREDENTIAL_CODES:
        return "the AWS credentials have expired: refresh them (`aws sso login`, or re-assume the role)"
    if code in IDENTITY_CODES:
        return (f"AWS did not recognise the credentials ({code} on {operation}): check the access key, "
                "the profile, and that the Region is enabled for the account")
    if code in DENIED_CODES:   # AWS's own words say which policy denied it (an SCP, a boundary, ...)
        said = error.response.get("Error", {}).get("Message")
        return (f"access denied for {operation}: grant it to the role or user running monitor ({code}"
                + (f": {said})" if said else ")"))
    if code.isdigit() and retries.ANSWER in error.response:
        return _server_error(error, endpoint)
    if code.isdigit():   # botocore's code for an answer with no AWS error in it (an HTML page, say)
        where = f"the endpoint {endpoint}" if endpoint else "the endpoint"
        return (f"{operation} got HTTP {code} with no AWS error in the answer: is {where} an AWS API? "
                f"(an emulator may not implement {operation})")
    return None


def _server_error(error: bx.ClientError, endpoint: str | None) -> str:
    """A 5xx that is no AWS error, after the last try: what the endpoint answered, and how often."""
    tries = error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1
    where = endpoint or "the endpoint"
    return (f"{error.operation_name}: {where} answered {error.response[retries.ANSWER]} "
            f"({tries} {'try' if tries == 1 else 'tries'}); that is no AWS error: a proxy or load balancer in "
            "front of it? check --endpoint-url (or --region), the network and any proxy")
