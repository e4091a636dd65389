"""Closed registry of scoring-rule kinds, one module per kind."""
