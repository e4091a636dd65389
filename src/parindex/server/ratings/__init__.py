"""Ratings of services at one-stop counters, kiosks and online."""
