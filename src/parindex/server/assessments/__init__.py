"""Cycles, self-assessment with evidence, appraisal rounds, explanation, council."""
