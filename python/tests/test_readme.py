"""The README's "From Python" example runs as written (from the repository root)."""

import re

from conftest import ROOT


def readme_example():
    text = (ROOT / "README.md").read_text()
    section = text.split("## From Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs(ray_local, monkeypatch, capsys):
    code = readme_example()
    assert "takt.solve" in code and "takt.distributed" in code
    monkeypatch.chdir(ROOT)
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    cols = namespace["cols"]
    assert [c.name for c in cols] == ["base", "saturday-shift-south"]
    assert len(namespace["df"]) == namespace["inst"].operations
    assert "feasible" in capsys.readouterr().out
