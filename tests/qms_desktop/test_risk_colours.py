"""Opportunities are coloured on their own scale, never in the risk bands' reds."""

from __future__ import annotations

import pytest

from qms_desktop.risks import OPPORTUNITY_COLOURS, Band, RiskMatrix


def test_a_risk_takes_its_band_colour():
    matrix = RiskMatrix.default(5)
    for score in range(1, 26):
        assert matrix.colour(score, "risk") == matrix.band(score).colour
    assert matrix.colour(None) is None


def test_an_opportunity_deepens_with_its_score_and_is_never_a_band_colour():
    matrix = RiskMatrix.default(5)
    colours = [matrix.colour(score, "opportunity") for score in range(1, 26)]
    assert set(colours) == set(OPPORTUNITY_COLOURS)
    order = [OPPORTUNITY_COLOURS.index(c) for c in colours]
    assert order == sorted(order)  # a higher score is never paler
    assert colours[0] == OPPORTUNITY_COLOURS[0] and colours[-1] == OPPORTUNITY_COLOURS[-1]
    assert not set(colours) & {band.colour for band in matrix.bands}


@pytest.mark.parametrize("count", [1, 2, 3, 6])
def test_any_number_of_bands_maps_onto_the_scale_from_palest_to_deepest(count):
    bands = [Band(f"B{i}", round(9 * (i + 1) / count), "#ff0000") for i in range(count)]
    matrix = RiskMatrix(3, ["a", "b", "c"], ["a", "b", "c"], bands)
    assert matrix.colour(9, "opportunity") == OPPORTUNITY_COLOURS[-1 if count > 1 else 0]
    assert matrix.colour(1, "opportunity") == OPPORTUNITY_COLOURS[0]

