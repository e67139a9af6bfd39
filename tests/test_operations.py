"""The operation table against botocore's models, and the implemented-operations report."""

from __future__ import annotations

import subprocess
import sys

from fake_ecr import implemented_operations

# Internal on purpose: these tests check the operation table and the report generated from it.
from fake_ecr.core.service_models import SERVICES, operation_names
from fake_ecr.features import wiring


def test_every_handler_serves_a_real_operation():
    for service, operation in wiring().handlers:
        assert service in SERVICES
        assert operation in operation_names(service), f"{service}.{operation} is not in botocore's model"


def test_the_foundation_operations_are_implemented():
    assert {
        "CreateRepository",
        "DescribeRepositories",
        "DeleteRepository",
        "PutImageTagMutability",
        "PutImageScanningConfiguration",
        "PutImage",
        "BatchGetImage",
        "BatchDeleteImage",
        "ListImages",
        "DescribeImages",
        "GetAuthorizationToken",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
        "DescribeRegistry",
    } <= set(implemented_operations("ecr"))


def test_command_lists_the_operations():
    out = subprocess.run([sys.executable, "-m", "fake_ecr", "operations"], capture_output=True, text=True, check=True)
    ecr_line = next(line for line in out.stdout.splitlines() if line.startswith("ecr:"))
    done = len(implemented_operations("ecr"))
    assert ecr_line == f"ecr: {done} of {len(operation_names('ecr'))} operations implemented"
    assert "[x] CreateRepository" in out.stdout
    assert out.stdout.count("[ ]") == sum(len(operation_names(s)) - len(implemented_operations(s)) for s in SERVICES)


def test_the_operations_page_is_current():
    import re
    from pathlib import Path

    import botocore

    from fake_ecr.reports import markdown_report

    page = (Path(__file__).resolve().parent.parent / "docs" / "operations.md").read_text()
    stale = "docs/operations.md is stale: run `python -m fake_ecr operations --markdown > docs/operations.md`"
    if f"botocore {botocore.__version__}\n" in page:
        assert page == markdown_report() + "\n", stale
    else:  # generated with another botocore: the operations it marks implemented must still be
        # (among those this botocore models: newer operations register only where modeled)
        known = {op for s in SERVICES for op in operation_names(s)}
        marked = set(re.findall(r"^\| (\w+) \| yes \|$", page, re.M)) & known
        done = {op for s in SERVICES for op in implemented_operations(s)}
        assert marked == done, stale


def test_help_exits_zero_and_unknown_commands_exit_two():
    ok = subprocess.run([sys.executable, "-m", "fake_ecr", "--help"], capture_output=True, text=True)
    assert ok.returncode == 0 and "operations" in ok.stdout and "hooks" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "fake_ecr", "nonsense"], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr


def test_output_piped_into_a_reader_that_stops_early_ends_quietly():
    # ``fake-ecr operations | head -0``: the reader has gone before the report is written.
    writer = subprocess.Popen(
        [sys.executable, "-m", "fake_ecr", "operations"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert writer.stdout is not None
    writer.stdout.close()
    _, err = writer.communicate(timeout=60)
    assert writer.returncode == 0
    assert b"Traceback" not in err
