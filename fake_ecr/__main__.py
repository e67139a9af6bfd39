"""``python -m fake_ecr`` (or ``fake-ecr``): what fake_ecr implements and how its features are wired."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Optional

USAGE = """usage: fake-ecr COMMAND

commands:
  serve [options]          serve the ECR APIs over HTTP and the registry endpoint (serve --help)
  operations [--markdown]  the implemented operations of ecr and ecr-public
  hooks                    the hook subscribers of every feature, in the order they run
"""


def _report(args: list[str]) -> Optional[str]:
    if args[:1] in (["operations"], []):
        from fake_ecr.reports import coverage_report, markdown_report

        return markdown_report() if "--markdown" in args else coverage_report()
    if args[:1] == ["hooks"]:
        from fake_ecr.reports import hook_table_markdown

        return hook_table_markdown()
    return None


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"]:
        from fake_ecr.serve import main as serve

        return serve(args[1:])
    if args[:1] in (["-h"], ["--help"], ["help"]):
        print(USAGE, end="")
        return 0
    text = _report(args)
    if text is None:
        print(USAGE, end="", file=sys.stderr)
        return 2
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (``| head``) stopped early: that is fine, and not worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
