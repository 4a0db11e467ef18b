"""The maps' browser code: the JavaScript, CSS and page templates under ``districtcontrol/maps/web/``.

Each file is read once and written into the pages exactly as stored (the reader's script and
stylesheet pass through :func:`compact`). Scripts that need values from Python name them with
upper-case placeholders (``DATA``, ``MAP``…), filled by :func:`fill` in one pass, so a text
inserted there (JSON with a table's words) is never searched again.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

WEB_DIR = "web"


@functools.cache
def text(name: str) -> str:
    """The stored text of file ``name`` of ``districtcontrol/maps/web/``."""
    return resources.files("districtcontrol.maps").joinpath(WEB_DIR, name).read_text(encoding="utf-8")


def style(name: str) -> str:
    """Stylesheet ``name`` in a ``<style>`` element, on lines of its own."""
    return f"\n<style>\n{text(name)}</style>\n"


def fill(code: str, values: dict[str, str]) -> str:
    """``code`` with each placeholder (a whole word, a key of ``values``) replaced by its value, in one pass.

    A placeholder the code does not use is an error: the script and its caller disagree.
    """
    pattern = re.compile(r"\b(" + "|".join(re.escape(key) for key in values) + r")\b")
    missing = set(values) - set(pattern.findall(code))
    if missing:
        raise ValueError(f"placeholders {sorted(missing)} are not in the script")
    return pattern.sub(lambda match: values[match[1]], code)


def compact(code: str) -> str:
    """Script or stylesheet text without indentation and whole-line ``//`` comments (a tenth smaller)."""
    lines = (line.strip() for line in code.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))
