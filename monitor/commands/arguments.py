"""The command line: each command's options (only those it uses), and the parser."""

from __future__ import annotations

import argparse

from monitor import __version__

CONFIG = [(("-c", "--config"), {"help": "config file (default monitor.yaml, else config.yaml)"})]
OUTPUT = [(("--output",), {"choices": ("text", "json"), "default": "text"})]
REGION = [(("--region",), {"help": "AWS Region (default: the config's region, then the AWS chain)"})]
CREDENTIALS = [
    (("--profile",), {"help": "AWS profile from ~/.aws/config"}),
    (("--endpoint-url",), {"help": "talk to this endpoint instead of AWS (also AWS_ENDPOINT_URL)"}),
]
AWS = REGION + CREDENTIALS + [
    (("--local",), {"action": "store_true", "help": "run against an embedded emulator seeded from the config"}),
]
# test-filter reads no config: its AWS options serve --aws alone.
FOR_AWS_CHECK = [(("--region",), {"help": "with --aws: the Region to call (default: the AWS chain's)"}),
                 *[(names, {**options, "help": f"with --aws: {options['help']}"}) for names, options in CREDENTIALS]]
YES = (("--yes", "-y"), {"action": "store_true", "help": "do not ask (required when stdin is not a terminal)"})
PRUNE = (("--prune",), {"action": "store_true", "help": "also delete owned resources not in the config"})
PLAN_POLICY = (("--print-iam-policy",), {"action": "store_true", "help": "print the read-only IAM policy plan needs "
                                                                          "for this config, and exit (no AWS call)"})
APPLY_POLICY = (("--print-iam-policy",), {"action": "store_true", "help": "print the IAM policy plan, apply and destroy "
                                                                           "need for this config, and exit (no AWS call)"})
VERBOSE = (("--verbose", "-v"), {"action": "store_true",
                                 "help": "list every field a create sets (default: one line per create and delete)"})
COMMAND_HELP = {
    "validate": "check the config offline: schema, names, AWS rules, quotas, patterns",
    "plan": "show what apply would change (read only)",
    "apply": "plan, then make the changes",
    "destroy": "delete every owned resource the config covers",
    "test": "run every `tests:` case of the config's filters and the catalogue",
    "test-filter": "evaluate a filter pattern over log events, one per line (stdin if no FILE)",
    "replay": "show what the config's filters would have published on captured log events",
    "demo": "a guided tour on the embedded emulator",
    "emulator": "serve the embedded emulator, seeded from the config, until SIGINT/SIGTERM",
    "exporter": "serve the config's metrics, and metrics derived from them, to Prometheus (read only)",
    "review": "review the alarms (the config's, or with --deployed the account's), the service design and the cost",
}
COMMAND_FLAGS = {
    "validate": CONFIG + OUTPUT,
    "test": CONFIG + OUTPUT,
    "plan": CONFIG + AWS + [
        (("--output",), {"choices": ("text", "json", "markdown"), "default": "text",
                         "help": "markdown: a summary, a table of the changes and the diffs, for a pull request"}),
        (("--detailed-exitcode",), {"action": "store_true", "help": "exit 2 when there are changes"}),
        (("--prune",), {"action": "store_true", "help": "also plan deletes of owned resources not in the config"}),
        (("--out",), {"metavar": "FILE", "help": "also save the plan, for `monitor apply FILE`"}),
        (("--destroy",), {"action": "store_true", "help": "plan what `destroy` would delete (with --out: save it)"}),
        VERBOSE, PLAN_POLICY],
    "apply": CONFIG + OUTPUT + AWS + [
        (("plan_file",), {"nargs": "?", "metavar": "FILE",
                          "help": "apply exactly this plan saved by `plan --out FILE`, if nothing it touches moved"}),
        YES, PRUNE, VERBOSE, (("--force",), {"action": "store_true", "help": "allow a plan that deletes a large share"}),
        APPLY_POLICY],
    "destroy": CONFIG + OUTPUT + AWS + [YES, VERBOSE],
    "test-filter": OUTPUT + FOR_AWS_CHECK + [
        (("pattern",), {"metavar": "PATTERN"}),
        (("files",), {"nargs": "*", "metavar": "FILE"}),
        (("--value",), {"default": "1", "help": "metric value: 1, a number, $.selector, $field or $N"}),
        (("--dimension",), {"action": "append", "default": [], "metavar": "NAME=SELECTOR"}),
        (("--aws",), {"action": "store_true", "help": "also ask AWS's TestMetricFilter and show where it disagrees"})],
    "replay": CONFIG + OUTPUT + [(("logfiles",), {"nargs": "+", "metavar": "LOGFILE"}),
                                 (("--log-group",), {"help": "replay only the filters on this log group"})],
    "demo": CONFIG + REGION,
    "emulator": CONFIG + REGION + [
        (("--port",), {"type": int, "default": 0, "help": "port on 127.0.0.1 (default: a free one)"})],
    "exporter": CONFIG + OUTPUT + AWS + [
        (("--once",), {"action": "store_true", "help": "refresh once, print the exposition and exit"}),
        (("--plan",), {"action": "store_true",
                       "help": "print queries, calls and data points per refresh and the cost a month (no AWS)"}),
        (("--print-iam-policy",), {"action": "store_true", "help": "print the read-only IAM policy it needs"}),
        (("--print-rules",), {"action": "store_true",
                              "help": "print Prometheus alerting rules for the exporter's health and ratios"}),
        (("--shard",), {"metavar": "I/N", "default": "1/1", "help": "serve shard I of N (split by service)"}),
        (("--listen",), {"metavar": "HOST:PORT", "help": "override the config's exporter.listen"}),
        (("--web-config",), {"metavar": "FILE", "help": "TLS and basic auth, in the Prometheus exporter-toolkit's "
                                                        "web configuration format"})],
    "review": CONFIG + AWS + [
        (("--output",), {"choices": ("text", "json", "markdown"), "default": "text"}),
        (("--deployed",), {"action": "store_true",
                           "help": "review every alarm of the live account, ours or not (read only)"}),
        (("--fail-on",), {"choices": ("error", "warning"),
                          "help": "exit 1 when a finding is this severe or worse (for CI)"}),
        (("--task-definitions",), {"nargs": "+", "default": [], "metavar": "FILE",
                                   "help": "task definition JSON files for the design checks (offline)"})],
}


def dashed_pattern(argv: list[str]) -> list[str]:
    """`test-filter -ERROR`: a pattern may start with '-', which argparse would take for an option.

    Every token that is not one of the command's options (or an option's value) is moved
    behind `--`, in order, so it reaches PATTERN and FILE as it was typed; a token that looks
    like a long option (`--x`) stays an option, and argparse says whether it is one.
    """
    if argv[:1] != ["test-filter"] or "--" in argv:
        return argv
    flags = COMMAND_FLAGS["test-filter"] + [(("-h", "--help"), {"action": "help"})]
    takes_value = {name: kwargs.get("action", "store") in ("store", "append")
                   for names, kwargs in flags for name in names if name[0] == "-"}
    options, positionals, tokens = [], [], iter(argv[1:])
    for token in tokens:
        name = _option(token.split("=", 1)[0], takes_value)
        if name is None:   # an unknown `--option` stays one, so argparse refuses it (exit 2)
            (options if token.startswith("--") and len(token) > 2 else positionals).append(token)
            continue
        options.append(token)
        if takes_value[name] and "=" not in token:
            options += [value] if (value := next(tokens, None)) is not None else []   # none: argparse says so
    return [argv[0], *options, "--", *positionals]


def _option(name: str, known: dict[str, bool]) -> str | None:
    """The option a token names, allowing a unique abbreviation of a long option as argparse does."""
    if name in known:
        return name
    matches = [option for option in known if name.startswith("--") and len(name) > 2 and option.startswith(name)]
    return matches[0] if len(matches) == 1 else None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="monitor", description="Monitoring as code for Amazon ECS.")
    main.add_argument("--version", action="version", version=f"ecs-monitor {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in COMMAND_HELP.items():
        sub = commands.add_parser(name, help=text, description=text)
        for flag, kwargs in COMMAND_FLAGS[name]:
            sub.add_argument(*flag, **kwargs)
    return main
