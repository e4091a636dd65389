"""The yearly determination of a unit: workflow moves and score rounds, without a database."""
