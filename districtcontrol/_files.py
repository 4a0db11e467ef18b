"""Writing files safely: one file by a temporary name and a rename, a whole build through a staging folder.

A single file (:func:`atomic_path`, :func:`write_text`) is written beside its final name and
renamed into place. A build (:class:`StagedBuild`) is written into a staging folder inside
the output folder and moved into place in one short commit step, under a lock, so the
folder holds the complete previous build or the complete new one. A build killed while it
renders leaves only its staging folder, which the next build removes; one killed during the
commit step (a few renames) leaves a journal, and the next build finishes the commit.

Each build records the files it wrote (name, size, modification time) in a manifest,
``.districtcontrol-build.json``. The next build into the folder removes those of them it does
not write itself (the map of a group the legend no longer has), unless they were changed
since; it never removes a file it did not write.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from districtcontrol import DistrictControlError

STAGING_PREFIX = ".districtcontrol-staging-"
JOURNAL_NAME = ".commit"
MANIFEST_NAME = ".districtcontrol-build.json"


def _file_mode() -> int:
    """Permissions for new files: read-write for everyone the umask allows, like any other program's files."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it to ``path``, on error remove it.

    A run that fails half-way never leaves a truncated file, and an earlier file at ``path``
    stays untouched until the new one is complete. The file gets the permissions the umask allows.
    """
    path = Path(path)
    _make_folder(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()
    try:
        yield tmp
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        raise _os_error(exc, path) from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def _make_folder(folder: Path) -> None:
    try:
        _check_and_make(folder)
    except OSError as exc:
        raise _os_error(exc, folder) from exc


def _check_and_make(folder: Path) -> None:
    if folder.is_symlink() and not folder.exists():
        raise DistrictControlError(
            f"the output folder is a symbolic link to nothing: {folder} -> {os.readlink(folder)}"
        )
    if folder.exists() and not folder.is_dir():
        raise DistrictControlError(f"the output folder is a file, not a folder: {folder}; choose another --out")
    folder.mkdir(parents=True, exist_ok=True)


def _os_error(exc: OSError, path: Path) -> DistrictControlError:
    """An operating-system failure as a message that says what to do."""
    reasons = {
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EISDIR: "a folder has that name",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
    }
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return DistrictControlError(f"cannot write {path}: {reason}. Nothing of an earlier build there was changed.")


class StagedBuild:
    """An output folder written all at once: files go to :meth:`path`, :meth:`commit` moves them into place.

    Entering takes the folder's lock (a second build into the same folder is refused with a
    message), finishes or removes what a killed build left, and checks that no file to be
    written has the name of a folder. Leaving without a commit removes the staging folder.
    """

    def __init__(self, out: str | Path, names: Iterable[str], owned: Iterable[str] = ()):
        self.out = Path(out)
        self.names = list(names)
        self.owned = set(self.names) | set(owned)  # every name a build of this kind may write
        self.staging: Path | None = None
        self._lock: int | None = None

    def __enter__(self) -> StagedBuild:
        _make_folder(self.out)
        self._lock = _take_lock(self.out)
        try:
            recover(self.out)
            _remove_stale_temporaries(self.out, sorted(self.owned))
            self._check_names()
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out))
        except BaseException:
            self._release()
            raise
        return self

    def path(self, name: str) -> Path:
        """Where file ``name`` of the build is written before the commit."""
        return self.staging / name

    def commit(self) -> list[Path]:
        """Move every staged file into the output folder and remove the previous build's files this one
        does not write (see the module); return the final paths in the order of ``names``."""
        present = [n for n in self.names if (self.staging / n).exists()]
        written = {n: _signature(self.staging / n) for n in present}
        stale = {n: sig for n, sig in _read_manifest(self.out).items() if n not in written}
        manifest = json.dumps({"files": written}, indent=1, sort_keys=True) + "\n"
        (self.staging / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
        journal = {"move": [*present, MANIFEST_NAME], "remove": stale}
        (self.staging / JOURNAL_NAME).write_text(json.dumps(journal), encoding="utf-8")
        _finish(self.staging, self.out)
        self.staging = None
        return [self.out / n for n in present]

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._release()

    def _check_names(self) -> None:
        folders = [n for n in self.names if (self.out / n).is_dir()]
        if folders:
            raise DistrictControlError(
                f"{self.out} has folders named like the build's files ({', '.join(folders)}); move them or choose another --out"
            )

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _take_lock(out: Path) -> int:
    """Lock the output folder itself (flock on its descriptor): no lock file is left behind."""
    import fcntl

    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _os_error(exc, out) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DistrictControlError(
            f"another build is writing into {out} right now; wait for it to finish, or choose another --out"
        ) from None
    return fd


def recover(out: Path) -> None:
    """Finish the commit of a build killed while committing; remove what a build killed while rendering left."""
    for staging in sorted(out.glob(STAGING_PREFIX + "*")):
        if (staging / JOURNAL_NAME).is_file():
            _finish(staging, out)
        else:
            shutil.rmtree(staging, ignore_errors=True)


def _finish(staging: Path, out: Path) -> None:
    text = (staging / JOURNAL_NAME).read_text(encoding="utf-8")
    journal = json.loads(text) if text.startswith("{") else {"move": text.split(), "remove": {}}
    try:
        for name in journal["move"]:
            if (staging / name).exists():
                os.replace(staging / name, out / name)
    except OSError as exc:
        raise _os_error(exc, out / name) from exc
    for name, signature in journal["remove"].items():
        _remove_if_unchanged(out, name, signature)
    shutil.rmtree(staging, ignore_errors=True)


def _signature(path: Path) -> list[int]:
    """What tells a file a build wrote from one changed since: its size and modification time (ns)."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _read_manifest(out: Path) -> dict[str, list[int]]:
    """The files the previous build wrote, from its manifest; nothing when there is none or it is unreadable."""
    try:
        files = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {n: sig for n, sig in files.items() if _plain_name(n) and isinstance(sig, list)}


def _plain_name(name: object) -> bool:
    """A file name of the folder itself: no folder part, not hidden, not '..'."""
    return isinstance(name, str) and bool(name) and os.path.basename(name) == name and not name.startswith(".")


def _remove_if_unchanged(out: Path, name: str, signature: list[int]) -> None:
    """Remove file ``name`` of an earlier build if it is still the regular file that build wrote."""
    path = out / name
    if not _plain_name(name) or path.is_symlink() or not path.is_file():
        return
    if _signature(path) == list(signature):
        with contextlib.suppress(OSError):
            path.unlink()


def _remove_stale_temporaries(out: Path, names: Iterable[str]) -> None:
    """Temporary files of :func:`atomic_path` (``.NAME.xxxxxxxx.ext``) that a killed run left beside outputs."""
    for name in names:
        stem, suffix = os.path.splitext(name)
        pattern = re.compile(rf"^\.{re.escape(stem)}\.[a-z0-9_]{{8}}{re.escape(suffix)}$")
        for path in out.glob(f".{stem}.*{suffix}"):
            if pattern.match(path.name):
                path.unlink(missing_ok=True)
