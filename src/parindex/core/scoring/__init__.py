"""Scoring: aggregate, rank, classify, compare, uncertainty, sensitivity, planner."""
