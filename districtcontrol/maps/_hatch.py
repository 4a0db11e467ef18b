"""The hatching of districts that more than one group holds: the SVG pattern and the legend's swatches.

Shared by the map (:mod:`districtcontrol.maps.interactive`) and its timeline
(:mod:`districtcontrol.maps._timeline`), which redraws the legend at every date.
"""

from __future__ import annotations

from districtcontrol import _style

HATCH_ID = "dc-hatch"
HATCH_SVG = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
    f'<pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)">'
    f'<line x1="0" y1="0" x2="0" y2="7" stroke="{_style.MULTI_GROUP_HATCH}" stroke-width="2"/></pattern>'
    "</defs></svg>"
)


def swatch_css(colour: str) -> str:
    """The CSS of a legend row's colour square: ``colour``, the hatching for ``"hatch"``, a dashed
    outline for ``"dashed"`` (districts named ambiguously)."""
    if colour == "dashed":
        return f"background:#fff; border:2px dashed {_style.AMBIGUOUS_EDGE};"
    if colour == "hatch":
        return (
            f"background: url(#{HATCH_ID}); background: repeating-linear-gradient(45deg, #fff 0 3px, "
            f"{_style.MULTI_GROUP_HATCH} 3px 5px);"
        )
    return f"background:{colour};"
