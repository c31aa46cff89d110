"""`--web-config FILE`: TLS and basic auth for the exporter, in the Prometheus exporter-toolkit's format.

The format is the one Prometheus's own exporters read with `--web.config.file`
(https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md):

    tls_server_config:
      cert_file: exporter.crt          # PEM; relative paths are read beside this file
      key_file: exporter.key
      client_auth_type: RequireAndVerifyClientCert   # optional, with client_ca_file
      min_version: TLS12               # TLS10 .. TLS13
    http_server_config:
      headers: {X-Content-Type-Options: nosniff}
    basic_auth_users:
      prometheus: $2y$10$...           # bcrypt hashes, as `htpasswd -nBC 10 "" | tr -d ':\\n'` prints

Every problem is placed at its `FILE:LINE:COL` as the config's are; keys of the format this
exporter does not implement (cipher suites, inline PEM, rate limits) are refused by name, never
ignored. The file is read once, at start.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Literal

import bcrypt
from pydantic import BaseModel, ConfigDict

from monitor.config import structure, yamlfile
from monitor.problems import ERROR, Check, Path, Problem, Source

TOOLKIT = "https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md"
UNSUPPORTED_KEY = Check("EXP-020", ERROR, "--web-config: a key of the exporter-toolkit format the exporter does not "
                                          "implement", source=TOOLKIT)
NOT_BCRYPT = Check("EXP-021", ERROR, "--web-config: a basic_auth_users password that is not a bcrypt hash",
                   source=TOOLKIT)
BAD_CERT = Check("EXP-022", ERROR, "--web-config: a certificate and key that cannot be used for TLS", source=TOOLKIT)
NO_CLIENT_CA = Check("EXP-023", ERROR, "--web-config: client certificates required without client_ca_file",
                     source=TOOLKIT)
BAD_CLIENT_CA = Check("EXP-024", ERROR, "--web-config: a client_ca_file that cannot be read", source=TOOLKIT)
CHECKS = (UNSUPPORTED_KEY, NOT_BCRYPT, BAD_CERT, NO_CLIENT_CA, BAD_CLIENT_CA)

VERSIONS = {"TLS10": ssl.TLSVersion.TLSv1, "TLS11": ssl.TLSVersion.TLSv1_1, "TLS12": ssl.TLSVersion.TLSv1_2,
            "TLS13": ssl.TLSVersion.TLSv1_3}
CLIENT_AUTH = {"NoClientCert": ssl.CERT_NONE, "RequestClientCert": ssl.CERT_OPTIONAL,
               "VerifyClientCertIfGiven": ssl.CERT_OPTIONAL, "RequireAndVerifyClientCert": ssl.CERT_REQUIRED}
UNSUPPORTED = {"cert", "key", "client_ca", "client_allowed_sans", "cipher_suites", "curve_preferences",
               "prefer_server_cipher_suites", "rate_limit"}
HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "X-XSS-Protection",
           "Strict-Transport-Security")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TlsServerConfig(_Model):
    cert_file: str
    key_file: str
    client_auth_type: Literal["NoClientCert", "RequestClientCert", "VerifyClientCertIfGiven",
                              "RequireAndVerifyClientCert"] = "NoClientCert"
    client_ca_file: str | None = None
    min_version: Literal["TLS10", "TLS11", "TLS12", "TLS13"] = "TLS12"
    max_version: Literal["TLS10", "TLS11", "TLS12", "TLS13"] = "TLS13"


class HttpServerConfig(_Model):
    http2: bool = True   # accepted for files written for Go exporters; this server speaks HTTP/1.1
    headers: dict[Literal[HEADERS], str] = {}


class WebConfigFile(_Model):
    tls_server_config: TlsServerConfig | None = None
    http_server_config: HttpServerConfig = HttpServerConfig()
    basic_auth_users: dict[str, str] = {}


@dataclass(frozen=True)
class WebConfig:
    """What the server needs: a TLS context (or None), the users' bcrypt hashes, extra headers."""

    tls: ssl.SSLContext | None = None
    users: dict[str, bytes] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def load(path: str | FilePath) -> tuple[WebConfig | None, list[Problem]]:
    """The web configuration in `path`, or every problem with it, each at its place."""
    source, problems = yamlfile.load(path)
    if problems:
        return None, problems
    unsupported = _unsupported(source)
    if unsupported:
        return None, unsupported
    model, problems = structure.check(WebConfigFile, source)
    if model is None:
        return None, problems
    return _build(model, source)


def _unsupported(source: Source) -> list[Problem]:
    """Keys of the format this exporter does not implement: named, so nobody believes them applied."""
    return [UNSUPPORTED_KEY.problem(path, f"'{path[-1]}' is part of the exporter-toolkit format but not supported by "
                          "ecs-monitor's exporter; remove it (cert_file, key_file, client_auth_type, "
                          "client_ca_file, min_version, max_version, http_server_config.headers and "
                          "basic_auth_users are)", source=source, at_key=True)
            for path in source.keys if path[-1] in UNSUPPORTED and path[0] != "basic_auth_users"]


def _build(model: WebConfigFile, source: Source) -> tuple[WebConfig | None, list[Problem]]:
    problems = [p for user, hashed in model.basic_auth_users.items() if (p := _hash_problem(user, hashed, source))]
    tls = None
    if model.tls_server_config is not None:
        tls, found = _context(model.tls_server_config, FilePath(source.name).parent, source)
        problems += found
    if problems:
        return None, problems
    users = {user: hashed.encode() for user, hashed in model.basic_auth_users.items()}
    return WebConfig(tls, users, dict(model.http_server_config.headers)), []


def _hash_problem(user: str, hashed: str, source: Source) -> Problem | None:
    """A bcrypt hash bcrypt can check against ($2a$, $2b$ or $2y$, as htpasswd -B writes)."""
    try:
        bcrypt.checkpw(b"", hashed.encode())
    except ValueError:
        return NOT_BCRYPT.problem(("basic_auth_users", user), "not a bcrypt hash such as $2y$10$...: hash the password with "
                                                   "`htpasswd -nBC 10 \"\" | tr -d ':\\n'`", source=source)
    return None


def _context(tls: TlsServerConfig, beside: FilePath, source: Source) -> tuple[ssl.SSLContext | None, list[Problem]]:
    """A server-side TLS context from the files, relative to the web config's folder as the toolkit reads them."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version, context.maximum_version = VERSIONS[tls.min_version], VERSIONS[tls.max_version]
    at: Path = ("tls_server_config",)
    try:
        context.load_cert_chain(beside / tls.cert_file, beside / tls.key_file)
    except (OSError, ssl.SSLError) as error:
        return None, [BAD_CERT.problem(at + ("cert_file",), f"cannot use {tls.cert_file} with {tls.key_file}: "
                                                   f"{_reason(error)}", source=source)]
    context.verify_mode = CLIENT_AUTH[tls.client_auth_type]
    if tls.client_auth_type == "NoClientCert":
        return context, []
    if tls.client_ca_file is None:
        return None, [NO_CLIENT_CA.problem(at + ("client_auth_type",), f"{tls.client_auth_type} needs client_ca_file, the CA "
                                                          "that signs the clients' certificates", source=source)]
    try:
        context.load_verify_locations(beside / tls.client_ca_file)
    except (OSError, ssl.SSLError) as error:
        return None, [BAD_CLIENT_CA.problem(at + ("client_ca_file",), f"cannot read {tls.client_ca_file}: {_reason(error)}",
                              source=source)]
    return context, []


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or getattr(error, "reason", None) or str(error)
