"""AWS errors a person can fix, each turned into one line that names the fix."""

from __future__ import annotations

import botocore.exceptions as bx

from monitor.aws import retries


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
    if isinstance(error, (bx.ReadTimeoutError, bx.ConnectTimeoutError)):
        return _silent(error)
    if isinstance(error, bx.EndpointConnectionError):
        return f"cannot reach {error.kwargs.get('endpoint_url')}: check --region (is it a real Region?) or --endpoint-url"
    if isinstance(error, bx.ClientError):
        return _client_error(error)
    return None


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


def _client_error(error: bx.ClientError) -> str | None:
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
    if code.isdigit():   # botocore's code for an answer with no AWS error in it (an HTML page, say)
        return (f"{operation} got HTTP {code} with no AWS error in the answer: is the endpoint an AWS API? "
                f"(an emulator may not implement {operation})")
    return None
