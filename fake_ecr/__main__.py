"""``python -m fake_ecr operations``: list the implemented operations of ecr and ecr-public."""

from __future__ import annotations

import sys
from typing import Optional, Sequence


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["operations"], []):
        from fake_ecr.operations_report import coverage_report, markdown_report

        print(markdown_report() if "--markdown" in args else coverage_report())
        return 0
    print("usage: python -m fake_ecr operations [--markdown]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
