"""``python -m fake_ecr``: reports on what fake_ecr implements and how its features are wired."""

from __future__ import annotations

import sys
from typing import Optional, Sequence

USAGE = "usage: python -m fake_ecr {operations [--markdown] | hooks}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["operations"], []):
        from fake_ecr.reports import coverage_report, markdown_report

        print(markdown_report() if "--markdown" in args else coverage_report())
        return 0
    if args[:1] == ["hooks"]:
        from fake_ecr.reports import hook_table_markdown

        print(hook_table_markdown())
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
