"""Files the tool fetches for users: the user cache, pinned downloads bounded in time and size, sha256.

Shared by the boundary file and the population estimates.
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
import time
from pathlib import Path

from districtcontrol import DistrictControlError

ENV_CACHE = "DISTRICTCONTROL_CACHE"
ENV_TIMEOUT = "DISTRICTCONTROL_DOWNLOAD_TIMEOUT"
DOWNLOAD_TIMEOUT_S = 60


def cache_dir() -> Path:
    """The user cache folder (``DISTRICTCONTROL_CACHE`` overrides the platform default)."""
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    import platformdirs

    return Path(platformdirs.user_cache_dir("districtcontrol"))


def _usable_cache_dir() -> Path:
    folder = cache_dir()
    blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise DistrictControlError(
            f"the cache folder {folder} cannot be used: {blocker} is a file. Remove it, or set {ENV_CACHE} to a folder."
        )
    return folder


def _download_timeout() -> float:
    value = os.environ.get(ENV_TIMEOUT) or str(DOWNLOAD_TIMEOUT_S)
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise DistrictControlError(
            f"{ENV_TIMEOUT}={value!r} is not a number of seconds; set it to one such as 60, or unset it"
        )
    return seconds


def _remove_stale_downloads(folder: Path, seconds: float) -> None:
    """Temporary files of downloads that were killed; any running download is younger than its time bound."""
    if not folder.is_dir():
        return
    cutoff = time.time() - 2 * seconds - 60
    for leftover in folder.glob("tmp*"):
        try:
            if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass


class _DownloadStopped(Exception):
    """A download stopped for taking too long or growing too large."""


class _BoundedDownload:
    """A pooch downloader that stops after ``seconds`` in all and after ``max_bytes`` bytes."""

    def __init__(self, seconds: float, max_bytes: int, progress: bool):
        self.seconds, self.max_bytes, self.progress = seconds, max_bytes, progress

    def __call__(self, url: str, output_file: str, _pooch) -> None:
        import requests
        from tqdm import tqdm

        deadline = time.monotonic() + self.seconds
        with requests.get(url, stream=True, timeout=self.seconds) as response:
            response.raise_for_status()
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > self.max_bytes:
                raise _DownloadStopped(f"the server offers {declared:,} bytes, the file has {self.max_bytes:,}")
            bar = tqdm(total=declared or None, unit="B", unit_scale=True, disable=not self.progress, file=sys.stderr)
            with open(output_file, "wb") as out, bar:
                while chunk := response.raw.read1(1 << 16, decode_content=True):
                    out.write(chunk)
                    bar.update(len(chunk))
                    if out.tell() > self.max_bytes:
                        raise _DownloadStopped(f"the download grew past the file's {self.max_bytes:,} bytes")
                    if time.monotonic() > deadline:
                        raise _DownloadStopped(f"the download took longer than {self.seconds:g} s in all")


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
