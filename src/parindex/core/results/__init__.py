"""Results published elsewhere (PAR INDEX, SIPAS, PAPI, PCI tables from announcements and press),
read into typed rows with every fault located, ready to be stored as a publication."""

from parindex.core.results.published import (
    INDEX_SCALES,
    PublishedEntry,
    PublishedYear,
    Resolver,
    fold_name,
    read_published,
)

__all__ = [
    "INDEX_SCALES",
    "PublishedEntry",
    "PublishedYear",
    "Resolver",
    "fold_name",
    "read_published",
]
