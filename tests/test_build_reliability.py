"""A build is all or nothing: killed, stopped, failing or racing another, the folder holds one complete build."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from districtcontrol import DistrictControlError
from districtcontrol.cli import main

pytestmark = pytest.mark.integration
FORMATS = "html,png"


def build_command(out: Path, source: str, boundaries: Path, jobs: int = 2) -> list[str]:
    return [sys.executable, "-m", "districtcontrol", "build", "--out", str(out), "--format", FORMATS,
            "--source", source, "--jobs", str(jobs), "--boundaries", str(boundaries)]  # fmt: skip


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def leftovers(folder: Path) -> list[str]:
    """Hidden files in an output folder other than the build's manifest (what a run left behind)."""
    from districtcontrol._files import MANIFEST_NAME

    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != MANIFEST_NAME)


def processes_writing_into(out: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(out).encode() in cmdline:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def references(tmp_path_factory, real_boundaries):
    """The same build with two source lines: every map differs between them."""
    root = tmp_path_factory.mktemp("references")
    for side in ("old", "new"):
        subprocess.run(build_command(root / side, f"Source {side}", real_boundaries), check=True, capture_output=True)
    return visible(root / "old"), visible(root / "new")


def state_of(folder: Path, references) -> str:
    old, new = references
    files = visible(folder)
    if files == old:
        return "old"
    if files == new:
        return "new"
    mixed = {
        name: ("old" if data == old.get(name) else "new" if data == new.get(name) else "?")
        for name, data in files.items()
    }
    return f"mixed: {mixed}"


def start_over_old(folder: Path, references) -> None:
    folder.mkdir(exist_ok=True)
    for name, data in references[0].items():
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("delay", [0.3, 1.5, 2.5, 3.5, 5.0])
def test_kill_9_at_any_moment_leaves_one_complete_build_and_no_process(tmp_path, real_boundaries, references, delay):
    out = tmp_path / "maps"
    start_over_old(out, references)
    process = subprocess.Popen(build_command(out, "Source new", real_boundaries), stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.kill()
    process.wait()
    time.sleep(0.5)  # workers get SIGKILL from the kernel when their parent dies
    assert processes_writing_into(out) == []
    assert state_of(out, references) in ("old", "new")
    subprocess.run(build_command(out, "Source new", real_boundaries), check=True, capture_output=True)
    assert state_of(out, references) == "new"
    assert leftovers(out) == []  # what the killed run left is gone


def test_a_build_killed_while_its_workers_draw_leaves_nothing_in_the_temporary_folder(tmp_path, real_boundaries):
    """The region the workers read (8 MB) lives in the staging folder, which the next build clears."""
    out, temporary = tmp_path / "maps", tmp_path / "tmp"
    temporary.mkdir()
    command = build_command(out, "Source new", real_boundaries)
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(temporary)})
    shipped = []
    while not shipped and process.poll() is None:
        shipped = list(out.glob(".districtcontrol-staging-*/.districtcontrol-region-*"))
        time.sleep(0.005)
    process.kill()
    assert shipped, "the build ended before its workers got the region"
    process.wait()
    time.sleep(0.5)
    assert list(temporary.iterdir()) == []
    subprocess.run(command, check=True, capture_output=True)
    assert leftovers(out) == []


def test_sigterm_removes_the_staging_folder_and_keeps_the_previous_build(tmp_path, real_boundaries, references):
    out = tmp_path / "maps"
    start_over_old(out, references)
    process = subprocess.Popen(build_command(out, "Source new", real_boundaries), stderr=subprocess.PIPE)
    time.sleep(2.0)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    time.sleep(0.3)
    assert processes_writing_into(out) == []
    assert state_of(out, references) in ("old", "new")
    if state_of(out, references) == "old":
        assert leftovers(out) == []


def test_a_second_build_into_the_same_folder_is_refused_while_the_first_runs(tmp_path, real_boundaries):
    from districtcontrol._files import StagedBuild

    out = tmp_path / "maps"
    with StagedBuild(out, ["combined.html"]):
        result = CliRunner().invoke(main, ["build", "--out", str(out), "--boundaries", str(real_boundaries)])
    assert result.exit_code == 2 and "another build is writing into" in result.stderr


def test_disk_full_while_rendering_keeps_the_previous_build(tmp_path, control_data, monkeypatch):
    import districtcontrol.maps.static as static
    from districtcontrol import build

    out = tmp_path / "maps"
    build(control_data, out, ("html",), subtitle="Source old")
    before = visible(out)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(static, "save_figure", full)
    with pytest.raises(OSError):
        build(control_data, out, ("html", "png"), subtitle="Source new")
    assert visible(out) == before
    assert leftovers(out) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_label_layout_is_the_builds_error_and_keeps_the_previous_build(
    tmp_path, control_data, monkeypatch, jobs
):
    import districtcontrol.maps.static as static
    from districtcontrol import build

    out = tmp_path / "maps"
    build(control_data, out, ("html",), subtitle="Source old")
    before = visible(out)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(static, "label_layout", full)  # the workers are forked after this: they inherit it
    with pytest.raises(OSError, match="No space left"):
        build(control_data, out, ("html", "png"), subtitle="Source new", jobs=jobs)
    assert visible(out) == before
    assert leftovers(out) == []


def test_disk_full_while_writing_a_file_is_a_clear_error(tmp_path, monkeypatch):
    import districtcontrol._files as files

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(DistrictControlError, match="no space left on the device"):
        files.write_text(tmp_path / "a.html", "x")
    assert list(tmp_path.iterdir()) == []


def test_output_problems_are_found_before_anything_is_rendered(tmp_path, real_boundaries):
    runner = CliRunner()
    base = ["build", "--format", FORMATS, "--boundaries", str(real_boundaries)]
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    folder_named_like_output = tmp_path / "taken"
    (folder_named_like_output / "combined.html").mkdir(parents=True)
    cases = {
        str(dangling): "symbolic link to nothing",
        str(a_file): "is a file",
        str(tmp_path / ("x" * 300)): "name is too long",
        str(folder_named_like_output): "folders named like the build's files (combined.html)",
    }
    for out, message in cases.items():
        result = runner.invoke(main, [*base, "--out", out])
        assert result.exit_code == 2 and message in result.stderr, (out, result.stderr)
        assert "Traceback" not in result.output
    assert sorted(p.name for p in folder_named_like_output.iterdir()) == ["combined.html"]
    tiles = runner.invoke(main, [*base, "--out", str(tmp_path / "t"), "--tiles", "Bogus", "--jobs", "2"])
    assert tiles.exit_code == 2 and "unknown tile provider 'Bogus'" in tiles.stderr
    assert not (tmp_path / "t").exists() or list((tmp_path / "t").iterdir()) == []


@pytest.mark.parametrize("region", ["", ",,,", " , "])
def test_a_region_naming_no_province_is_an_error(real_boundaries, region):
    result = CliRunner().invoke(
        main, ["export", "-o", "x.geojson", "--region", region, "--boundaries", str(real_boundaries)]
    )
    assert result.exit_code == 2 and "names no province" in result.stderr


def test_what_a_killed_build_left_is_cleaned_or_finished(tmp_path, control_data):
    from districtcontrol import build

    out = tmp_path / "maps"
    out.mkdir()
    (out / ".combined.ab12cd34.png").write_bytes(b"half")  # a temporary file of an older version's run
    (out / ".districtcontrol-staging-dead1").mkdir()  # killed while rendering
    (out / ".districtcontrol-staging-dead1" / "combined.html").write_text("half")
    committed = out / ".districtcontrol-staging-dead2"  # killed while committing: roll forward
    committed.mkdir()
    (committed / "notes-from-build.html").write_text("complete")
    (committed / ".commit").write_text("notes-from-build.html\n")
    (out / ".mine").write_text("a user's own hidden file")
    build(control_data, out, ("html",))
    assert leftovers(out) == [".mine"]
    assert (out / "notes-from-build.html").read_text() == "complete"


def test_files_get_the_permissions_the_umask_allows(tmp_path, control_data):
    from districtcontrol import build

    old = os.umask(0o027)
    try:
        written = build(control_data, tmp_path / "maps", ("html",))
    finally:
        os.umask(old)
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {"0o640"}


def staged(out: Path, files: dict[str, str]) -> list[Path]:
    """One build of ``files`` (name to text) into ``out`` through StagedBuild."""
    from districtcontrol._files import StagedBuild

    with StagedBuild(out, list(files)) as stage:
        for name, text in files.items():
            stage.path(name).write_text(text, encoding="utf-8")
        return stage.commit()


def test_a_rebuild_removes_the_previous_builds_files_it_does_not_write_and_nothing_else(tmp_path):
    out = tmp_path / "maps"
    out.mkdir()
    (out / "notes.html").write_text("the user's own page", encoding="utf-8")
    staged(out, {"combined.html": "old", "captured.html": "old", "edited.html": "old", "index.html": "old"})
    (out / "edited.html").write_text("changed by hand since", encoding="utf-8")
    staged(out, {"combined.html": "new", "index.html": "new"})
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == ["combined.html", "edited.html", "index.html", "notes.html"]
    assert (out / "edited.html").read_text(encoding="utf-8") == "changed by hand since"
    assert (out / "combined.html").read_text(encoding="utf-8") == "new"
    staged(out, {"combined.html": "newer"})  # the manifest now names only what the last build wrote
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "combined.html",
        "edited.html",
        "notes.html",
    ]


def test_a_manifest_naming_files_elsewhere_removes_nothing_outside_the_folder(tmp_path):
    import json

    from districtcontrol._files import MANIFEST_NAME

    out = tmp_path / "maps"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep", encoding="utf-8")
    stat = outside.stat()
    (out / "sub").mkdir()
    forged = {n: [stat.st_size, stat.st_mtime_ns] for n in ("../precious.txt", str(outside), "sub", ".mine")}
    (out / MANIFEST_NAME).write_text(json.dumps({"files": forged}), encoding="utf-8")
    staged(out, {"combined.html": "new"})
    assert outside.read_text(encoding="utf-8") == "keep" and (out / "sub").is_dir()


def test_a_build_killed_while_committing_finishes_its_removals_on_the_next_run(tmp_path):
    import json

    from districtcontrol._files import JOURNAL_NAME, STAGING_PREFIX, recover

    out = tmp_path / "maps"
    out.mkdir()
    staged(out, {"combined.html": "old", "captured.html": "old"})
    stat = (out / "captured.html").stat()
    staging = out / (STAGING_PREFIX + "dead")
    staging.mkdir()
    (staging / "combined.html").write_text("new", encoding="utf-8")
    journal = {"move": ["combined.html"], "remove": {"captured.html": [stat.st_size, stat.st_mtime_ns]}}
    (staging / JOURNAL_NAME).write_text(json.dumps(journal), encoding="utf-8")
    recover(out)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["combined.html"]
    assert (out / "combined.html").read_text(encoding="utf-8") == "new"


def test_rebuilding_with_a_group_gone_from_the_legend_leaves_no_map_of_it(tmp_path, real_boundaries):
    table = tmp_path / "table.csv"
    table.write_text(
        "group,province,district,status\ntaliban,Kunduz,Khanabad,captured\nis,Jawzjan,Darzab,present\n",
        encoding="utf-8",
    )
    out = tmp_path / "maps"
    common = ["build", "--out", str(out), "--format", "html", "--table", str(table), "--no-population"]
    common += ["--boundaries", str(real_boundaries), "--region", "Kunduz,Jawzjan"]
    first = CliRunner().invoke(main, common)
    assert first.exit_code == 0, first.stderr
    assert (out / "is.html").is_file()
    table.write_text("group,province,district,status\ntaliban,Kunduz,Khanabad,captured\n", encoding="utf-8")
    second = CliRunner().invoke(main, [*common[:-2], "--region", "Kunduz"])
    assert second.exit_code == 0, second.stderr
    assert not (out / "is.html").exists()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "combined.html",
        "index.html",
        "summary.csv",
        "taliban.html",
    ]
