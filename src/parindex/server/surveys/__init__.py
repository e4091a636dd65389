"""Questionnaires, samples, ballots, collection and survey estimates."""
