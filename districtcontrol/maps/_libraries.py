"""The browser libraries every HTML map loads: one list with version, CDN address, SRI hash and licence.

CDN mode loads them from jsDelivr with Subresource Integrity (the browser refuses a file whose
hash differs); self-contained mode inlines the same files, each after its licence. Leaflet
comes from the django-js-lib-leaflet package (its files are Leaflet 1.9.4's ``dist/``), the
two small libraries from ``vendor/``. The hashes are those of the npm packages' files, which
jsDelivr serves unchanged.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from importlib import resources

CDN = "https://cdn.jsdelivr.net/npm/"


@dataclass(frozen=True)
class Library:
    """One file of a browser library: where the CDN has it, its hash, where the package keeps a copy."""

    name: str
    kind: str  # "js" or "css"
    cdn_path: str
    integrity: str
    package: str  # importable package holding the copy
    folder: tuple[str, ...]
    file: str
    licence: str  # file in maps/vendor/

    @property
    def url(self) -> str:
        return CDN + self.cdn_path

    def data(self) -> bytes:
        """The file as the CDN serves it, byte for byte (what ``integrity`` hashes)."""
        return resources.files(self.package).joinpath(*self.folder, self.file).read_bytes()

    def text(self) -> str:
        return self.data().decode("utf-8")


_LEAFLET = ("js_lib_leaflet", ("static", "js_lib_leaflet"))
_VENDOR = ("districtcontrol.maps", ("vendor",))
LIBRARIES = (
    Library("leaflet_css", "css", "leaflet@1.9.4/dist/leaflet.css",
            "sha384-sHL9NAb7lN7rfvG5lfHpm643Xkcjzp4jFvuavGOndn6pjVqS6ny56CAt3nsEVT4H", *_LEAFLET, "leaflet.css",
            "leaflet.LICENSE"),
    Library("leaflet", "js", "leaflet@1.9.4/dist/leaflet.js",
            "sha384-cxOPjt7s7Iz04uaHJceBmS+qpjv2JkIHNVcuOrM+YHwZOmJGBXI00mdUXEq65HTH", *_LEAFLET, "leaflet.js",
            "leaflet.LICENSE"),
    Library("topojson", "js", "topojson-client@3.1.0/dist/topojson-client.min.js",
            "sha384-Ukv1p/xTma6P4/2bY5KzWBw+ydSpXmhCMtyciIQVDJ1RmOxtCYNMF1uXT9T63H67", *_VENDOR,
            "topojson-client.min.js", "topojson-client.LICENSE"),
    Library("polyline", "js", "@mapbox/polyline@1.2.1/src/polyline.js",
            "sha384-yf6AmHIydknqiQz4gkeWgaz5tLnSgVHa/W/+RypeCvsTwDCMqI3OoHDldbGvLKW5", *_VENDOR, "polyline.js",
            "polyline.LICENSE"),
)  # fmt: skip
DISTRICT_LIBRARIES = ("topojson", "polyline")  # what the shared districts need besides Leaflet


def cdn_tags(names: tuple[str, ...] | None = None) -> str:
    """``<link>`` and ``<script>`` tags loading the libraries from the CDN, with their SRI hashes."""
    tags = []
    for lib in LIBRARIES:
        if names is not None and lib.name not in names:
            continue
        attrs = f'integrity="{lib.integrity}" crossorigin="anonymous"'
        if lib.kind == "css":
            tags.append(f'<link rel="stylesheet" href="{html.escape(lib.url)}" {attrs}/>')
        else:
            tags.append(f'<script src="{html.escape(lib.url)}" {attrs}></script>')
    return "\n".join(tags)


def inline_tags() -> str:
    """Every library inlined, each after its licence; Leaflet's images as data URIs."""
    tags = []
    for lib in LIBRARIES:
        licence = _licence(lib.licence)
        if lib.kind == "css":
            tags.append(f"<style>/*\n{licence}*/\n{_css_with_images(lib)}</style>")
        else:
            code = f"/*\n{licence}*/\n{lib.text()}".replace("</", "<\\/")  # nothing in it can end the script
            tags.append(f"<script>{code}</script>")
    return "\n".join(tags)


def _licence(file: str) -> str:
    text = resources.files("districtcontrol.maps").joinpath("vendor", file).read_text(encoding="utf-8")
    return text.replace("*/", "* /")


def _css_with_images(lib: Library) -> str:
    folder = resources.files(lib.package).joinpath(*lib.folder)

    def data_uri(match):
        png = folder.joinpath("images", match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode()})"

    return re.sub(r"url\(images/([\w\-]+\.png)\)", data_uri, lib.text())
