"""Bands shared by ``ratio_bands`` and ``count_bands``: the first band reached gives its share."""

from __future__ import annotations

import itertools

from pydantic import BaseModel, ConfigDict, Field


class Band(BaseModel):
    """From ``min`` upwards, a unit earns ``share`` of the maximum."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float
    share: float = Field(ge=0, le=1)


def check_bands(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    """Bands run from the highest threshold down, and a higher threshold never pays less."""
    if not bands:
        raise ValueError("at least one band is needed")
    for higher, lower in itertools.pairwise(bands):
        if not higher.min > lower.min:
            raise ValueError(
                f"bands must be listed from the highest min down: {higher.min} then {lower.min}"
            )
        if higher.share < lower.share:
            raise ValueError(
                f"a higher band pays less than a lower one ({higher.share} < {lower.share}):"
                " improving would lose points"
            )
    return bands


def band_share(bands: tuple[Band, ...], value: float) -> float:
    for band in bands:
        if value >= band.min:
            return band.share
    return 0.0
