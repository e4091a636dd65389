"""Surveys: questionnaires, sampling designs, weights, design-based estimation."""
