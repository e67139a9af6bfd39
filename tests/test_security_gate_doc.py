"""The example pipeline of docs/security-gate.md runs as documented."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "security-gate.md"


def test_documented_pipeline_blocks_the_critical_image() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)
    namespace: dict[str, object] = {}
    exec(compile(blocks[0] + blocks[1], str(DOC), "exec"), namespace)  # the gate, then the pipeline
    assert "gate" in namespace
