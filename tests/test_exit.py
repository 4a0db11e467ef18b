"""The command ends quickly once done, and still with its status, its whole output and its exit handlers run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from districtcontrol.cli import main


def python(code: str) -> subprocess.CompletedProcess:
    """``code`` in a new process whose output into a pipe is buffered, as it is by default."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.integration
def test_the_command_writes_all_its_output_into_a_pipe_and_exits_zero(real_boundaries):
    expected = CliRunner().invoke(main, ["summary", "--format", "csv", "--boundaries", str(real_boundaries)])
    assert expected.exit_code == 0, expected.output
    run = subprocess.run(
        [sys.executable, "-m", "districtcontrol", "summary", "--format", "csv", "--boundaries", str(real_boundaries)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected.stdout


def test_bad_usage_keeps_its_status_and_message():
    run = subprocess.run(
        [sys.executable, "-m", "districtcontrol", "build", "--no-such-option"], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert "No such option" in run.stderr and "--no-such-option" in run.stderr


def test_exit_handlers_run_and_the_status_is_kept():
    run = python(
        """
        import atexit, sys
        from districtcontrol.cli._exit import exit_now
        atexit.register(lambda: print("handler ran"))
        sys.stdout.write("buffered, not yet flushed")
        exit_now(3)
        """
    )
    assert run.returncode == 3
    assert run.stdout == "buffered, not yet flushedhandler ran\n"


def test_a_text_status_is_printed_and_exits_one():
    run = python("from districtcontrol.cli._exit import exit_now; exit_now('the reason')")
    assert (run.returncode, run.stderr) == (1, "the reason\n")


def test_a_thread_still_running_is_waited_for(tmp_path):
    done = tmp_path / "done"
    run = python(
        f"""
        import threading, time
        from pathlib import Path
        from districtcontrol.cli._exit import exit_now
        threading.Thread(target=lambda: (time.sleep(0.3), Path({str(done)!r}).write_text("yes"))).start()
        exit_now(0)
        """
    )
    assert run.returncode == 0, run.stderr
    assert done.read_text() == "yes"
