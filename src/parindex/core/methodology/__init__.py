"""Methodology editions as data: models, strict loader, validation, diff, Excel import."""
