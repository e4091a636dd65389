"""Province boundary files named in settings (``PARINDEX_BOUNDARIES``) for the geographic map.

Each file is read once per change (its path, size and modification time key the cache): its
features are matched to the 63 or the 34 provinces (``core.units.boundaries``), each feature gets
the matched ref as ``properties.parindex_ref``, and the result is kept as JSON bytes that the
boundaries view serves to the page's chart. A file that cannot be read, or features that match
no province, are logged and reported by the system check, never raised to a reader.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from parindex.core.errors import ParindexError
from parindex.core.units.boundaries import BoundaryMatch, match_boundaries

log = logging.getLogger(__name__)

REF_PROPERTY = "parindex_ref"


@dataclass(frozen=True)
class Boundaries:
    number: int
    """Position in the setting: the view serves it at /results/boundaries/<number>.json."""
    path: Path
    format: dict[str, str]
    """Vega-Lite's data format: ``{"type": "topojson", "feature": …}`` or GeoJSON features."""
    match: BoundaryMatch
    body: bytes


class BoundaryFileError(ParindexError, ValueError):
    """A boundary file that is not a TopoJSON topology or a GeoJSON feature collection."""


def _features(document: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The feature objects (whose ``properties`` hold the names) and Vega-Lite's format."""
    if document.get("type") == "Topology":
        objects = document.get("objects") or {}
        collections = {
            name: item.get("geometries") or []
            for name, item in objects.items()
            if isinstance(item, dict)
        }
        if not collections:
            raise BoundaryFileError("a TopoJSON file without objects")
        name = max(collections, key=lambda n: len(collections[n]))
        return collections[name], {"type": "topojson", "feature": name}
    if document.get("type") == "FeatureCollection":
        return document.get("features") or [], {"type": "json", "property": "features"}
    raise BoundaryFileError("neither a TopoJSON Topology nor a GeoJSON FeatureCollection")


@lru_cache(maxsize=8)
def _read(path: Path, size: int, modified: int, number: int) -> Boundaries:
    del size, modified  # part of the cache key only: a changed file is read again
    document = json.loads(path.read_bytes())
    if not isinstance(document, dict):
        raise BoundaryFileError("not a JSON object")
    features, data_format = _features(document)
    properties = [f.get("properties") or {} for f in features]
    found = match_boundaries(properties)
    for feature, ref in zip(features, found.refs, strict=True):
        feature["properties"] = {**(feature.get("properties") or {}), REF_PROPERTY: ref}
    if found.unmatched:
        log.warning(
            "boundary file %s: %d features match no province (%s)",
            path,
            len(found.unmatched),
            "; ".join(found.unmatched[:10]),
        )
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Boundaries(number, path, data_format, found, body)


def load(number: int) -> Boundaries | None:
    """The ``number``-th configured file, read and matched; None when absent or unreadable."""
    names = tuple(settings.PARINDEX_BOUNDARIES)
    if not 0 <= number < len(names):
        return None
    path = Path(names[number])
    try:
        stat = path.stat()
        return _read(path, stat.st_size, stat.st_mtime_ns, number)
    except (OSError, ValueError) as error:  # JSONDecodeError is a ValueError
        log.error("boundary file %s cannot be read: %s", path, error)
        return None


def configured() -> list[Boundaries]:
    found = (load(k) for k in range(len(settings.PARINDEX_BOUNDARIES)))
    return [b for b in found if b is not None]


def fingerprint() -> str:
    """A short digest of the configured files (path, size, modification time); "" without any.
    A national PDF drawn with a map is not the one drawn without, nor from another file."""
    parts = []
    for name in settings.PARINDEX_BOUNDARIES:
        try:
            stat = Path(name).stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:absent")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16] if parts else ""


def for_period(count: int) -> Boundaries | None:
    """The first configured file read as ``count`` (63 or 34) provinces."""
    return next((b for b in configured() if b.match.period == count), None)


@checks.register()
def boundary_files(**_kwargs: object) -> list[checks.CheckMessage]:
    """`parindex manage check`: every configured boundary file reads and every feature matches."""
    messages: list[checks.CheckMessage] = []
    for number, name in enumerate(settings.PARINDEX_BOUNDARIES):
        found = load(number)
        if found is None:
            messages.append(
                checks.Warning(
                    f"PARINDEX_BOUNDARIES: {name} cannot be read as GeoJSON or TopoJSON",
                    id="results.W001",
                )
            )
        elif found.match.unmatched or found.match.missing:
            messages.append(
                checks.Warning(
                    f"PARINDEX_BOUNDARIES: {name} ({found.match.period} provinces): "
                    f"{len(found.match.unmatched)} features match no province "
                    f"({'; '.join(found.match.unmatched[:5])}), "
                    f"{len(found.match.missing)} provinces have no feature",
                    id="results.W002",
                )
            )
    return messages
