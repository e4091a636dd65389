"""Kinds of administrative unit that an index can assess or that a role can be held at."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    MINISTRY = "ministry"
    PROVINCE = "province"
    DEPARTMENT = "department"
    DISTRICT = "district"
    COMMUNE = "commune"
    ONE_STOP_CENTRE = "one_stop_centre"
