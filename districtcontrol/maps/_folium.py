"""The one place that leans on folium's and branca's internals; everything else uses their public API.

What is used here beyond the documented API, and why:

* :class:`DistrictLayer` renders a ``folium.GeoJson`` with an empty copy of its data, so the
  page carries styles and ids but no geometry (shapes come from the shared topology);
* :func:`compact_json` sets the JSON policy of the Jinja environment folium's templates share,
  so embedded JSON is compact and UTF-8;
* :func:`strip_resources` empties ``default_js``/``default_css`` of every element;
* :func:`page_language` replaces the page template of branca's ``Figure`` (the same text with
  ``lang`` and a charset), which has no way to set them;
* :func:`stable_ids` numbers every element, and ids created while rendering come from a
  counter instead of ``os.urandom``, so identical input gives identical bytes;
* :func:`compiled_once` gives the Jinja environments of branca's and folium's templates a
  cache of compiled templates: branca compiles the text every macro renders, and folium some
  templates on every render, and most of these texts are the same on every map (two thirds
  of the compiling, 0.02 s of each map after the first).

The supported folium versions are pinned in ``pyproject.toml``; the browser tests run against
the newest of them.
"""

from __future__ import annotations

import contextlib
import functools
import itertools

import folium

from districtcontrol.maps._elements import AddShapes, SharedDistricts


class DistrictLayer(folium.GeoJson):
    """A ``folium.GeoJson`` whose features come from :class:`SharedDistricts` in the browser.

    ``features`` is a full FeatureCollection (ids and properties; geometry is not used), so
    ``style_function`` sees each feature and tooltips and popups can check their fields.
    The page gets only the styles and the ids. ``mesh=True`` makes it the province boundaries.
    """

    def __init__(self, features: dict, shared: SharedDistricts, *, mesh: bool = False, **kwargs):
        super().__init__(features, **kwargs)
        self._name = "DistrictLayer"
        ids = None if mesh else [f["id"] for f in features["features"]]
        self.add_child(AddShapes(shared, ids))

    def add_districts(self, ids: list[str], style_function) -> None:
        """Also draw the shared districts ``ids`` (after this layer's others), styled by ``style_function``."""
        shapes = next(c for c in self._children.values() if isinstance(c, AddShapes))
        properties = {f["id"]: f["properties"] for f in shapes.shared.topology["objects"]["districts"]["geometries"]}
        features = [{"type": "Feature", "id": i, "properties": properties[i], "geometry": None} for i in ids]
        self.data = {**self.data, "features": [*self.data["features"], *features]}
        shapes.ids = [*shapes.ids, *ids]
        self.style_function = style_function

    def render(self, **kwargs):
        """Style maps from the full features; the page's copy of the data is empty (the shapes come later)."""
        from folium.features import GeoJsonStyleMapper

        mapper = GeoJsonStyleMapper(self.data, self.feature_identifier, self)
        if self.style:
            self.style_map = mapper.get_style_map(self.style_function)
        if self.highlight:
            self.highlight_map = mapper.get_highlight_map(self.highlight_function)
        full, children = self.data, self._children
        # With no features folium keeps the style maps above; children render once the data is back.
        self.data, self._children = {"type": "FeatureCollection", "features": []}, {}
        try:
            super().render(**kwargs)
        finally:
            self.data, self._children = full, children
        for child in children.values():
            child.render(**kwargs)


@contextlib.contextmanager
def compact_json():
    """Render embedded JSON without spaces and with UTF-8 text (Dari names as written, not as \\u escapes)."""
    env = folium.GeoJson._template.environment
    saved = env.policies["json.dumps_kwargs"]
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}
    try:
        yield
    finally:
        env.policies["json.dumps_kwargs"] = saved


def strip_resources(element) -> None:
    """Drop every CDN script and stylesheet folium adds, from an element and all its children."""
    for attr in ("default_js", "default_css"):
        if getattr(element, attr, None):
            setattr(element, attr, [])
    for child in element._children.values():
        strip_resources(child)


def stable_ids(element, counter=None) -> None:
    """Number every element of a tree in order (``0001``, ``0002``…), replacing folium's random ids."""
    counter = counter if counter is not None else [0]
    counter[0] += 1
    element._id = f"{counter[0]:04d}"
    for child in list(element._children.values()):
        stable_ids(child, counter)


@contextlib.contextmanager
def counted_ids():
    """Elements created while rendering get ids from a counter (``r0001``…), never from ``os.urandom``."""
    from branca.element import Element

    numbers = itertools.count(1)
    saved = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"r{next(numbers):04d}")
    try:
        yield
    finally:
        Element._generate_id = saved


_COMPILING = [0]  # how many compiled_once blocks are open


@contextlib.contextmanager
def compiled_once():
    """Within the block, each template text branca or folium compiles is compiled once per process."""
    from branca.element import Element

    envs = list(
        {id(env): env for env in (Element._template.environment, folium.GeoJson._template.environment)}.values()
    )
    if not _COMPILING[0]:
        for env in envs:
            env.from_string = functools.partial(_from_string, env)  # shadows the method on this environment only
    _COMPILING[0] += 1
    try:
        yield
    finally:
        _COMPILING[0] -= 1
        if not _COMPILING[0]:
            for env in envs:
                vars(env).pop("from_string", None)


def _from_string(env, source, globals=None, template_class=None):
    if globals is None and isinstance(source, str):
        return _compiled(env, source, template_class)
    return type(env).from_string(env, source, globals, template_class)


@functools.lru_cache(maxsize=256)
def _compiled(env, source: str, template_class):
    return type(env).from_string(env, source, None, template_class)


def page_language(figure, language: str) -> None:
    """Give the page's ``<html>`` a ``lang`` attribute: branca's Figure template writes a bare ``<html>``."""
    figure._template = _page_template(language)


@functools.lru_cache(maxsize=8)
def _page_template(language: str):
    """The page template for ``language``, compiled once: every map of a build shares it."""
    from branca.element import Template

    return Template(
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "{% if this.title %}<title>{{this.title}}</title>{% endif %}"
        "    {{this.header.render(**kwargs)}}\n"
        "</head>\n"
        "<body>\n"
        "    {{this.html.render(**kwargs)}}\n"
        "</body>\n"
        "<script>\n"
        "    {{this.script.render(**kwargs)}}\n"
        "</script>\n"
        "</html>\n"
    )
