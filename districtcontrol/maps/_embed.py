"""The ``--embed`` snippet: a map in someone's article, full width, in a box of the map's shape.

The box keeps an aspect ratio that suits the region (with room for the title), never gets
shorter than a phone can read and never taller than the screen; the iframe loads lazily, may
go full screen and has a title for screen readers. ``base_url`` makes ``src`` absolute, so the
snippet works pasted into a page on another site.
"""

from __future__ import annotations

import math
from urllib.parse import quote, urlsplit

from districtcontrol.maps._popups import esc

MIN_HEIGHT_PX = 380
SNIPPET = (
    '<div style="position:relative;width:100%;aspect-ratio:{ratio};min-height:{min_height}px;max-height:90vh">'
    '<iframe src="{src}" title="{title}" loading="lazy" allowfullscreen '
    'style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe></div>\n'
)


def check_base_url(base_url: str | None) -> str | None:
    """``base_url`` as given when it is an absolute http(s) address; anything else is an error that says so."""
    from districtcontrol import DistrictControlError

    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DistrictControlError(
            f"--base-url {base_url!r} is not an absolute web address: give where the maps will be published, "
            "such as https://example.org/maps/"
        )
    return base_url


def map_src(name: str, base_url: str | None = None) -> str:
    """Where the snippet's iframe finds map ``name``: beside the snippet, or under ``base_url``."""
    file = quote(f"{name}.html")
    return f"{base_url.rstrip('/')}/{file}" if base_url else file


def embed_ratio(region) -> float:
    """Width over height of the embed box: the region's shape on a Web Mercator map, plus room for the title."""
    minx, miny, maxx, maxy = region.simplified.total_bounds
    height = _mercator(maxy) - _mercator(miny)
    ratio = (maxx - minx) / height if height > 0 else 1.5
    return round(min(2.0, max(1.0, ratio * 0.8)), 2)


def _mercator(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def embed_snippet(region, name: str, title: str, base_url: str | None = None) -> str:
    """The HTML to paste into an article to show map ``name`` (``title`` as written; it is escaped here)."""
    return SNIPPET.format(
        ratio=embed_ratio(region), min_height=MIN_HEIGHT_PX, src=esc(map_src(name, base_url)), title=esc(title)
    )
