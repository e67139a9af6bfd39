"""The README's quickstart runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import fake_ecr

ROOT = Path(__file__).resolve().parent.parent


def test_readme_quickstart_runs():
    block = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)[0]
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    fake = namespace["fake"]
    assert isinstance(fake, fake_ecr.FakeECR) and not fake.active
    assert fake.repository("team/app").name == "team/app"


def test_every_docs_page_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    for page in (ROOT / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme, f"README does not link docs/{page.name}"
