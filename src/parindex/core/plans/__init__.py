"""Improvement plans carried out: each planned raise becomes an action with a status."""

from parindex.core.plans.workflow import ActionStatus, Outcome, can_move, outcomes

__all__ = ["ActionStatus", "Outcome", "can_move", "outcomes"]
