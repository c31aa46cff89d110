"""The entry point of `monitor` and `python -m monitor`: Ctrl-C is handled before the heavy imports.

Importing the CLI (botocore, pydantic, the config model) takes a good part of a second; a Ctrl-C in
that time would otherwise end in a traceback from some import and a death by signal. Here it ends
as a Ctrl-C later does (monitor.cli.main): one line, exit 130. Nothing heavy is imported above.
"""

import sys

INTERRUPTED = 130   # 128 + SIGINT, what a shell reports for an interrupted command


def main() -> int:
    try:
        from monitor.cli import main as run
        return run()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
