"""Administrative units: kinds, the parent hierarchy, and the reference catalogue.

Units are the bodies an index assesses (ministries, provinces, departments, communes, one-stop
centres). They live in a hierarchy and in time: the 2025 merger turned 63 provinces into 34, so
a unit has a validity period and successor links.
"""

from parindex.core.units.hierarchy import ancestors, descendants, reaches
from parindex.core.units.kind import UnitKind
from parindex.core.units.reference import (
    MERGER_2025_IN_FORCE,
    UnitRecord,
    communes_of,
    ministries,
    provinces_34,
    provinces_63,
    reference_units,
)

__all__ = [
    "MERGER_2025_IN_FORCE",
    "UnitKind",
    "UnitRecord",
    "ancestors",
    "communes_of",
    "descendants",
    "ministries",
    "provinces_34",
    "provinces_63",
    "reaches",
    "reference_units",
]
