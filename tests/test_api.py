"""The public API: what the package exports, and static maps that leave the caller's matplotlib alone."""

from __future__ import annotations

import pytest

import districtcontrol


def test_public_api_is_importable_from_the_package():
    for name in districtcontrol.__all__:
        assert getattr(districtcontrol, name) is not None, name
    assert districtcontrol.__version__ != "0+unknown"


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        districtcontrol.no_such_function  # noqa: B018


@pytest.mark.integration
def test_static_map_leaves_the_callers_backend_and_pyplot_alone(region):
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    fig = districtcontrol.static_map(region, "is")
    assert matplotlib.get_backend().lower() == "svg"
    assert set(plt.get_fignums()) == before  # not registered with pyplot: nothing to close
    assert fig.axes


@pytest.mark.integration
def test_static_map_draws_on_the_axes_it_is_given(region):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4))
    left, right = fig.subplots(1, 2)
    returned = districtcontrol.static_map(region, "taliban", ax=right)
    assert returned is fig
    assert not left.has_data() and right.has_data()
    assert "Taliban" in right.get_title()
    assert len(right.collections) > 0
