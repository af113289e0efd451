"""README's Layout block names every module and package of fwadvisor/, so it cannot fall behind
the code again (it once left out pathcheck/, records.py and basemodel.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"## Layout\n\n```\n(.*?)```", readme, re.DOTALL)
    assert found, "README.md has no Layout block"
    return found.group(1)


def test_layout_names_every_module_and_package() -> None:
    names = set(re.findall(r"[\w]+(?:\.py|/)", _layout_block()))
    package = ROOT / "fwadvisor"
    present = {
        p.name + ("/" if p.is_dir() else "")
        for p in package.iterdir()
        if (p.is_dir() and (p / "__init__.py").is_file())
        or (p.suffix == ".py" and p.name not in {"__init__.py", "__main__.py"})
    }
    assert sorted(present - names) == []
    listed = set(re.findall(r"^  ([\w]+(?:\.py|/))", _layout_block(), re.MULTILINE))
    assert {"cli/", "pipeline.py", "registry.py"} <= listed
    assert sorted(listed - present) == [], "the Layout block names modules that are gone"
