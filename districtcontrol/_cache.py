"""Results computed once per boundary file and region, kept in the user cache between runs.

An entry is one JSON file under ``<cache>/prepared/`` (``<cache>`` is
:func:`districtcontrol.geo._fetch.cache_dir`): its name is a digest of the key, and inside are
the key itself, the payload and the payload's sha256. Every key holds the package version and a
digest of the code that computes the cached values, so a new version or changed code never reads
an old entry. An entry is verified on read (format, key and sha256); one that is unreadable,
corrupt or for another key is ignored and computed again. Entries are written atomically
(a temporary file renamed into place), so a killed run leaves no half-written entry; a cache
folder that cannot be written only costs the time of computing again.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
FORMAT = 1
FOLDER = "prepared"
ENV_OFF = "DISTRICTCONTROL_NO_CACHE"  # set to 1: compute everything, read and write no entry
# The modules whose code decides what is cached: a change to any of them is a new key.
_CODE = (
    "_cache.py",
    "geo/boundaries.py",
    "geo/_regions.py",
    "geo/_topology.py",
    "maps/_prepared.py",
    "maps/_simplify.py",
    "maps/_surroundings.py",
    "maps/_reader.py",
    "maps/_encoding.py",
    "maps/static.py",
    "data/neighbours.geojson",
)


@functools.cache
def code_digest() -> str:
    """The package version and a digest of the modules that compute what is cached."""
    from districtcontrol import __version__

    root = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return digest.hexdigest()[:20]


@functools.cache
def files_digest(names: tuple[str, ...]) -> str:
    """A digest of the package's files under ``names`` (files, or folders taken whole): the code and data a value depends on."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for name in names:
        path = root / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:20]


def folder() -> Path:
    from districtcontrol.geo._fetch import cache_dir

    return cache_dir() / FOLDER


def _path(kind: str, key: dict) -> tuple[Path, str]:
    text = json.dumps({"kind": kind, "code": code_digest(), **key}, sort_keys=True)
    return folder() / f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:32]}.json", text


def cached(kind: str, key: dict, compute: Callable[[], object], encode: Callable, decode: Callable):
    """``decode(payload)`` of a verified entry for ``key``, else ``compute()``, its ``encode``-d form stored.

    ``encode`` turns the value into JSON-able data, ``decode`` turns that back into an equal value;
    an ``encode`` that returns None keeps the value out of the cache (say, one computed with warnings,
    which a later run must show again).
    """
    if os.environ.get(ENV_OFF):
        return compute()
    path, key_text = _path(kind, key)
    payload = _read(path, key_text)
    if payload is not None:
        try:
            return decode(payload)
        except Exception as exc:  # a verified entry that does not decode: written by other code
            log.debug("cache entry %s ignored: %s", path, exc)
    value = compute()
    payload = encode(value)
    if payload is not None:
        _write(path, key_text, payload)
    return value


def _read(path: Path, key_text: str):
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        body = entry["payload"]
        if entry.get("format") != FORMAT or entry.get("key") != key_text:
            raise ValueError("another key or format")
        if hashlib.sha256(body.encode()).hexdigest() != entry.get("sha256"):
            raise ValueError("payload does not match its sha256")
        return json.loads(body)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.debug("cache entry %s ignored: %s", path, exc)
        return None


def _write(path: Path, key_text: str, payload) -> None:
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    entry = {"format": FORMAT, "key": key_text, "sha256": hashlib.sha256(body.encode()).hexdigest(), "payload": body}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.debug("cache entry %s not written: %s", path, exc)


def clear() -> int:
    """Remove every entry; returns how many there were."""
    entries = list(folder().glob("*.json")) if folder().is_dir() else []
    for entry in entries:
        entry.unlink(missing_ok=True)
    return len(entries)


def geometries_to_text(geoms) -> dict:
    """Geometries as base64 WKB (every coordinate the float it is) with their precision grids.

    A grid set by ``shapely.set_precision`` is not part of WKB but steers later operations
    (a representative point lands on it), so it is kept beside.
    """
    import shapely

    return {
        "wkb": [base64.b64encode(b).decode("ascii") for b in shapely.to_wkb(geoms, output_dimension=2)],
        "precision": [float(p) for p in shapely.get_precision(geoms)],
    }


def geometries_from_text(data: dict):
    import numpy as np
    import shapely

    geoms = shapely.from_wkb(np.array([base64.b64decode(t) for t in data["wkb"]], dtype=object))
    precision = np.asarray(data["precision"], dtype=float)
    if len(precision) != len(geoms):
        raise ValueError("precision and geometries do not match")
    gridded = precision > 0
    if gridded.any():
        geoms[gridded] = shapely.set_precision(geoms[gridded], precision[gridded], mode="pointwise")
    return geoms


def arrays_digest(arrays) -> str:
    """A sha256 of numeric arrays (their shapes, types and values), such as a topology's arcs."""
    import numpy as np

    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode() + array.tobytes())
    return digest.hexdigest()


def geometry_digest(geoms) -> str:
    """A sha256 of geometries' WKB: the same shapes, the same digest."""
    import shapely

    digest = hashlib.sha256()
    for wkb in shapely.to_wkb(geoms, output_dimension=2):
        digest.update(wkb)
    return digest.hexdigest()
