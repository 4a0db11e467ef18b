"""The maps' browser files (districtcontrol/maps/web/): shipped, used, plain, and filled without touching a table's words.

Biome lints them in .ci/run where node is installed; these checks run everywhere.
"""

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from districtcontrol.maps import _web

ROOT = Path(__file__).resolve().parents[1]
WEB = resources.files("districtcontrol.maps").joinpath(_web.WEB_DIR)
FILES = sorted(p.name for p in WEB.iterdir() if p.is_file())


def _code_of_maps() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "districtcontrol" / "maps").rglob("*.py"))


def test_every_browser_file_is_used_and_every_used_one_exists():
    code = _code_of_maps()
    used = set(re.findall(r"""_web\.(?:text|style)\(["']([^"']+)["']\)""", code))
    assert used == set(FILES)


def test_the_browser_files_are_package_data():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"{_web.WEB_DIR}/*" in project["tool"]["setuptools"]["package-data"]["districtcontrol.maps"]


@pytest.mark.parametrize("name", FILES)
def test_browser_files_are_plain_text(name):
    raw = WEB.joinpath(name).read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n"), name
    assert "\r" not in text and "\t" not in text, name
    assert not [n for n, line in enumerate(text.split("\n"), 1) if line != line.rstrip()], name


def test_placeholders_are_filled_once_so_inserted_words_stay_as_written():
    # A group or date text may contain a placeholder's word: it reaches the page unchanged.
    code = "(function (data, map) {})(DATA, MAP);"
    filled = _web.fill(code, {"DATA": '{"when":"MAP of LAYERS, DATA"}', "MAP": "map_1"})
    assert filled == '(function (data, map) {})({"when":"MAP of LAYERS, DATA"}, map_1);'


def test_a_placeholder_the_script_lacks_is_an_error():
    with pytest.raises(ValueError, match="STYLE"):
        _web.fill("f(DATA);", {"DATA": "1", "STYLE": "2"})
