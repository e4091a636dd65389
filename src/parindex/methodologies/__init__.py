"""Methodology editions shipped as package data: ``<index>/<edition>/`` YAML trees."""
