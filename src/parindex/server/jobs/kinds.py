"""The kinds of background job, declared by the apps that own the work (each app's ``jobs``
module calls :func:`register`); the runner dispatches on ``Job.kind`` through this registry.

A kind says what its run does, which permission of ``accounts.permissions`` a person needs on
the job's subject to see the job and download its file (the permission of the page that
started it), what a finished job says and where the person goes back to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parindex.core.errors import ParindexError

if TYPE_CHECKING:
    from parindex.server.jobs.models import Job

Progress = Callable[[str, int], None]
"""``progress(step, percent)``: the run tells how far it has gone (saved at once, no
transaction held)."""

STEPS: dict[str, Promise] = {
    "": _("waiting for the worker"),
    "starting": _("starting"),
    "reading": _("reading the file"),
    "checking": _("checking every row"),
    "drawing": _("drawing the sample"),
    "counting": _("counting the answers"),
    "saving": _("saving"),
    "gathering": _("gathering the figures"),
    "charts": _("drawing the charts"),
    "typesetting": _("typesetting"),
}


class JobRefused(ParindexError):
    """What the job was given is refused: every located finding, one per line, shown on the
    job's page; nothing was stored."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Outcome:
    """What a finished run produced: a summary's figures, and a file for a render."""

    result: dict[str, Any] = field(default_factory=dict)
    content: bytes | None = None
    file_name: str = ""
    file_type: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    label: Promise
    permission: str
    """Asked of the job's subject: the permission of the page that starts the job."""
    run: Callable[[Job, Progress], Outcome]
    summary: Callable[[Job], str]
    back: Callable[[Job], tuple[str, str]]
    """The address and label of the page the person came from."""
    imports: bool = True
    """An import (a refusal says nothing was imported) or a render (nothing was made)."""


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> Kind:
    return _KINDS[name]


def step_label(step: str) -> str:
    return str(STEPS.get(step, step))
