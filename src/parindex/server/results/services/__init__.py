"""The results app's services, one module per concept: publication (writing a published table),
imports (tables published elsewhere), tables (what the public pages and the API read)."""

from parindex.server.results.services.publication import (
    PublicationError,
    correct_publication,
    current_publications,
    record_publication,
    rows_from_frozen,
)

__all__ = [
    "PublicationError",
    "correct_publication",
    "current_publications",
    "record_publication",
    "rows_from_frozen",
]
