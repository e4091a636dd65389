"""The words for the survey codes core returns: verdicts and reasons of submissions kept aside,
quality flags and channels, in the reader's language.

Core keeps codes and English sentences with parameters (``ballot.REASONS``); this catalogue
holds the same sentences for gettext, with the same parameters. A test checks that every code
core can return has an entry here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parindex.core.surveys.ballot import Verdict, normalise
from parindex.core.surveys.quality import Flag

VERDICTS: Mapping[Verdict, Promise] = {
    Verdict.ACCEPTED: _("counted"),
    Verdict.DUPLICATE: _("duplicate"),
    Verdict.LATE: _("late"),
    Verdict.OUT_OF_SAMPLE: _("not in the sample"),
    Verdict.INVALID_CODE: _("mistyped code"),
}

REASONS: Mapping[Verdict, Promise] = {
    Verdict.INVALID_CODE: _("'%(code)s' is not a ballot code (check character)"),
    Verdict.OUT_OF_SAMPLE: _("code %(code)s was not issued in this survey"),
    Verdict.LATE: _("received %(received)s, after the close"),
    Verdict.DUPLICATE: _("code %(code)s has already been counted"),
}

FLAGS: Mapping[Flag, Promise] = {
    Flag.STRAIGHT_LINING: _("same answer to every item"),
    Flag.TOO_FAST: _("too fast"),
    Flag.IDENTICAL: _("identical to another household"),
}

CHANNELS: Mapping[str, Promise | str] = {
    "web": _("web form"),
    "paper": _("paper ballot"),
    "kobo": "KoboToolbox",
    "odk": "ODK",
    "csv": _("spreadsheet"),
}


def verdict_label(verdict: str) -> str:
    return str(VERDICTS.get(Verdict(verdict), verdict)) if verdict in set(Verdict) else verdict


def flag_label(flag: str) -> str:
    return str(FLAGS[Flag(flag)]) if flag in set(Flag) else flag


def channel_label(channel: str) -> str:
    return str(CHANNELS.get(channel, channel))


def reason_text(verdict: str, code: str, received_at: datetime) -> str:
    """Why a submission was kept aside, from what is stored of it (the code as received and
    when it arrived), as core's ``ballot.REASONS`` says it."""
    if verdict not in set(Verdict) or Verdict(verdict) not in REASONS:
        return ""
    received = formats.date_format(timezone.localtime(received_at), "SHORT_DATETIME_FORMAT")
    params = {"code": normalise(code) or code, "received": received}
    if verdict == Verdict.INVALID_CODE:
        params["code"] = code
    return str(REASONS[Verdict(verdict)]) % params
