"""The README documents exactly the commands and options the CLI has (as sqlite-utils' test_docs does)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from districtcontrol.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _reference() -> tuple[set[str], dict[str, str]]:
    """Options documented for every command, and each command's row in the command table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Command reference", 1)[1].split("\n## ", 1)[0]
    intro, table = section.split("| command |", 1)
    common = set(re.findall(r"`(--[a-z][a-z0-9\-]*)", intro))
    rows = {}
    for line in table.splitlines():
        found = re.match(r"\| `districtcontrol ([a-z]+)(.*?)` \|", line)
        if found:
            rows[found.group(1)] = found.group(2)
    return common, rows


def _options(command: click.Command) -> list[set[str]]:
    """Each option of a command as the set of its spellings (``-o``, ``--output``)."""
    return [set(p.opts + p.secondary_opts) for p in command.params if isinstance(p, click.Option)]


def _documented(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--?[a-z][a-z0-9\-]*)", text))


def test_readme_lists_exactly_the_cli_commands():
    _, rows = _reference()
    assert set(rows) == set(main.commands)


def test_every_option_is_documented_and_every_documented_option_exists():
    common, rows = _reference()
    every_option = set().union(*(spelling for c in main.commands.values() for spelling in _options(c)))
    assert common <= every_option, f"README names options no command has: {common - every_option}"
    for name, command in main.commands.items():
        options = _options(command)
        in_row = _documented(rows[name])
        known = set().union(*options) if options else set()
        assert in_row <= known, f"{name}: README documents {in_row - known}, which the command lacks"
        missing = [sorted(o) for o in options if not o & (in_row | common)]
        assert not missing, f"{name}: options not in the README: {missing}"


@pytest.mark.integration
@pytest.mark.parametrize("number", [0, 1])
def test_readme_python_examples_run(number, tmp_path, monkeypatch, real_boundaries):
    """Every Python example of the README runs as written, in an empty folder."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISTRICTCONTROL_BOUNDARIES", str(real_boundaries))
    exec(compile(blocks[number], f"README.md example {number + 1}", "exec"), {})
    written = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert "index.html" in written and "combined.png" in written


def test_readme_legend_example_is_a_valid_legend(tmp_path):
    from districtcontrol.data.legend import read_legend

    example = re.search(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    (tmp_path / "legend.toml").write_text(example, encoding="utf-8")
    legend = read_legend(tmp_path / "legend.toml")
    assert legend.group_keys == ("taliban", "haqqani")
    assert [(s.key, s.rank) for s in legend.statuses] == [("controlled", 3), ("contested", 2), ("unconfirmed", 1)]
    assert legend.status("unconfirmed").label == "Unconfirmed claim"


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_internal_link_of_the_readme_leads_somewhere():
    text = README.read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    anchors = {_anchor(h) for h in re.findall(r"^#+ (.+)$", prose, re.M)}
    links = re.findall(r"\]\(([^)\s]+)\)", prose)
    assert any(link.startswith("#") for link in links)
    broken = [link for link in links if link.startswith("#") and link[1:] not in anchors]
    assert not broken, f"README links to sections it does not have: {broken}"
    local = [link.split("#")[0] for link in links if not link.startswith(("#", "http://", "https://", "mailto:"))]
    missing = [link for link in local if not (README.parent / link).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"


# -- every shell example of the README, run -------------------------------------------------------

# Commands of the shell examples that are not run, and why (each is named in the skip list of the test).
NOT_RUN = {
    "python3": "makes a virtual environment (needs the network to install into it)",
    "pip": "installs from the package index (network)",
    ".": "activates a virtual environment in an interactive shell",
    "python": "runs the test suite itself",
}


# Files of shell examples that the README cannot show, and why; commands using them are not run.
NOT_SHOWN = {
    "acled-afghanistan.csv": "an ACLED events export: third-party data, neither shown nor shipped",
    "points.csv": "written by the events example, which reads the ACLED export",
    "derived.csv": "written by the events example, which reads the ACLED export",
    "derived.legend.toml": "written by the events example, which reads the ACLED export",
}


def _shell_commands() -> list[str]:
    """Every command of the README's ```bash blocks: continuation lines joined, ``&&`` chains split."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            commands += [part.strip() for part in line.split("&&") if part.strip()]
    return commands


def _example_files() -> dict[str, str]:
    """Files the README shows before its examples use them: a fenced block right after "`NAME`:"."""
    text = README.read_text(encoding="utf-8")
    return dict(re.findall(r"`([\w.-]+\.(?:csv|toml))`[^`\n]*:\n\n```[a-z]*\n(.*?)```", text, re.S))


def test_readme_shows_the_files_its_examples_use():
    """Every CSV or TOML file a shell example reads is shown in the README, or written by an earlier example."""
    shown, written = set(_example_files()), set()
    assert {"series.csv", "legend.toml"} <= shown
    for command in _shell_commands():
        words = shlex.split(command)
        outputs = {words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output")}
        used = {w for w in words if re.fullmatch(r"[\w.-]+\.(csv|toml)", w)} - outputs - set(NOT_SHOWN)
        assert used <= shown | written, f"the README uses {used - shown - written} without showing it"
        written |= outputs


@pytest.mark.integration
def test_every_shell_example_of_the_readme_runs(tmp_path, monkeypatch, real_boundaries):
    """Each ``districtcontrol`` command of the README's shell blocks, in order, in an empty folder.

    The other commands (venv, pip, the test suite) are skipped as listed in ``NOT_RUN``, and those reading
    a file of ``NOT_SHOWN`` (the ACLED example) are skipped too; the
    boundaries are the real file, from ``DISTRICTCONTROL_BOUNDARIES``, so nothing is downloaded.
    """
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISTRICTCONTROL_BOUNDARIES", str(real_boundaries))
    for name, text in _example_files().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ran, skipped = [], []
    for command in _shell_commands():
        words = shlex.split(command)
        if set(words) & set(NOT_SHOWN):
            skipped.append(f"{words[0]} {words[1]}")
            continue
        if words[0] != "districtcontrol":
            assert words[0] in NOT_RUN, f"README shell example not run and not explained: {command}"
            skipped.append(words[0])
            continue
        result = CliRunner().invoke(main, words[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        ran.append(words[1])
    assert ran == ["build", "import", "build"]
    assert set(skipped) == {"python3", ".", "pip", "python", "districtcontrol events", "districtcontrol build"}
    assert (tmp_path / "maps" / "index.html").is_file() and (tmp_path / "taliban-2021.csv").is_file()
    assert (tmp_path / "maps-2021" / "taliban.png").is_file()
