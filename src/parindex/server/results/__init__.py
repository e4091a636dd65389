"""Computed and published index tables with their provenance."""
