"""Features of a province boundary file matched to the reference provinces.

Boundary files (GeoJSON or TopoJSON, from any source) name their provinces their own way: "TP
HCM", "Hoà Bình" (old accent placement), "Thua Thien Hue", a GSO code "79", or a code of their own
("AD01"). A feature is matched on any of its text properties: a reference ref, a GSO code, or the
name reduced without accents and without "Tỉnh"/"Thành phố"/"TP" (``fold_name``). The file is read
as the 63 provinces or as the 34, whichever it matches better; features matched to no province,
or to a province already taken, are returned as unmatched rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from parindex.core.results.published import fold_name
from parindex.core.units.reference import UnitRecord, provinces_34, provinces_63

ALIASES = {
    "hcm": "ho chi minh",
    "tp hcm": "ho chi minh",
    "thua thien hue": "hue",
}
"""Names boundary files and the press use for a province whose official name reads otherwise."""


@dataclass(frozen=True, slots=True)
class BoundaryMatch:
    period: int
    """63 (provinces until 30 June 2025) or 34 (from 1 July 2025)."""
    refs: tuple[str | None, ...]
    """The province ref of each feature, in the file's order; None where unmatched."""
    unmatched: tuple[str, ...]
    """A label of each feature matched to no province (its text properties)."""
    missing: tuple[str, ...]
    """Refs of the period's provinces no feature stands for."""


def _keys(units: Sequence[UnitRecord]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for unit in units:
        keys[unit.ref] = unit.ref
        keys[unit.code] = unit.ref
        keys[fold_name(unit.name_vi)] = unit.ref
        keys[fold_name(unit.name_en)] = unit.ref
    return keys


def _texts(properties: Mapping[str, object]) -> list[str]:
    return [v.strip() for v in properties.values() if isinstance(v, str) and v.strip()]


def _find(properties: Mapping[str, object], keys: Mapping[str, str]) -> str | None:
    for text in _texts(properties):
        if text in keys:
            return keys[text]
        folded = fold_name(text)
        found = keys.get(ALIASES.get(folded, folded))
        if found is not None:
            return found
    return None


def _match(features: Sequence[Mapping[str, object]], units: Sequence[UnitRecord]) -> BoundaryMatch:
    keys = _keys(units)
    taken: set[str] = set()
    refs: list[str | None] = []
    unmatched: list[str] = []
    for properties in features:
        ref = _find(properties, keys)
        if ref is None or ref in taken:
            refs.append(None)
            unmatched.append(" / ".join(_texts(properties)) or "(no name)")
            continue
        taken.add(ref)
        refs.append(ref)
    missing = tuple(u.ref for u in units if u.ref not in taken)
    return BoundaryMatch(len(units), tuple(refs), tuple(unmatched), missing)


def match_boundaries(features: Sequence[Mapping[str, object]]) -> BoundaryMatch:
    """Each feature's (properties) province, read as the 63 or the 34 provinces: the reading
    with more features matched, and on a tie the one leaving fewer provinces without a feature
    (every one of the 34 names is also one of the 63).

    >>> found = match_boundaries([{"ten_tinh": "TP HCM"}, {"name": "Hoà Bình"}, {"x": "Atlantis"}])
    >>> found.period, found.refs, found.unmatched
    (63, ('province:79', 'province:17', None), ('Atlantis',))
    """
    readings = [_match(features, provinces_63()), _match(features, provinces_34())]
    return max(readings, key=lambda m: (len(m.refs) - len(m.unmatched), -len(m.missing)))
