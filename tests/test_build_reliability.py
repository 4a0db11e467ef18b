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
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # what the killed run left is gone


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
        assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


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
    assert list(out.glob(".*")) == []


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
    assert sorted(p.name for p in out.glob(".*")) == [".mine"]
    assert (out / "notes-from-build.html").read_text() == "complete"


def test_files_get_the_permissions_the_umask_allows(tmp_path, control_data):
    from districtcontrol import build

    old = os.umask(0o027)
    try:
        written = build(control_data, tmp_path / "maps", ("html",))
    finally:
        os.umask(old)
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {"0o640"}
