"""The words for the survey codes core returns: verdicts and reasons of submissions kept aside,
quality flags and channels, in the reader's language.

Core keeps codes and English sentences with parameters (``ballot.REASONS``); this catalogue
holds the same sentences for gettext, with the same parameters. A test checks that every code
core can return has an entry here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

# What the standard errors do where a stratum has one sampled cluster, said without R's option
# value (the model field's choices keep it for the administrator who sets it up).
LONELY_POLICIES: Mapping[str, Promise] = {
    "adjust": _("a single cluster is measured from the mean of the whole sample (R's default)"),
    "certainty": _("a single cluster adds no variance, as if taken with certainty"),
    "average": _("a stratum with a single cluster takes the average variance of the others"),
    "remove": _("a stratum with a single cluster adds no variance"),
}


def lonely_policy(code: str) -> str:
    """The lonely-cluster policy in words; an unknown code is shown as stored."""
    words = LONELY_POLICIES.get(code)
    return str(words) if words is not None else code


FLAGS: Mapping[Flag, Promise] = {
    Flag.STRAIGHT_LINING: _("same answer to every item"),
    Flag.TOO_FAST: _("too fast"),
    Flag.IDENTICAL: _("identical to another household"),
}


@dataclass(frozen=True)
class Respondents:
    """Who a survey samples, in words: households for SIPAS, officials for the officials'
    survey, enterprises, else respondents; ``cluster`` is the last stage they are drawn in."""

    one: str
    many: str
    cluster: str

    @property
    def title(self) -> str:
        """The heading of the line naming the respondent on a ballot sheet."""
        return capfirst(self.one)

    def counted(self, counted: int, sampled: int) -> str:
        return str(_("%(counted)s of %(sampled)s sampled %(respondents)s counted")) % {
            "counted": formats.localize(counted),
            "sampled": formats.localize(sampled),
            "respondents": self.many,
        }

    def identical(self) -> str:
        """The data-quality line of copied ballots."""
        return str(_("Identical answers to another %(respondent)s of the same %(cluster)s")) % {
            "respondent": self.one,
            "cluster": self.cluster,
        }

    def identical_flag(self) -> str:
        return str(_("identical to another %(respondent)s")) % {"respondent": self.one}


# By the questionnaire's ``respondent_group``: SIPAS and the PAR citizens' survey sample
# households (one adult answers for each); the officials' survey samples officials by agency.
RESPONDENT_WORDS: Mapping[str, tuple[Promise, Promise, Promise]] = {
    "citizens": (
        pgettext_lazy("survey respondent", "household"),
        pgettext_lazy("survey respondents", "households"),
        pgettext_lazy("survey last-stage cluster", "village"),
    ),
    "officials": (
        pgettext_lazy("survey respondent", "official"),
        pgettext_lazy("survey respondents", "officials"),
        pgettext_lazy("survey last-stage cluster", "agency"),
    ),
    "enterprises": (
        pgettext_lazy("survey respondent", "enterprise"),
        pgettext_lazy("survey respondents", "enterprises"),
        pgettext_lazy("survey last-stage cluster", "last-stage cluster"),
    ),
}
OTHER_RESPONDENTS = (
    pgettext_lazy("survey respondent", "respondent"),
    pgettext_lazy("survey respondents", "respondents"),
    pgettext_lazy("survey last-stage cluster", "last-stage cluster"),
)


def respondents(group: str) -> Respondents:
    """The words for a questionnaire's ``respondent_group``."""
    one, many, cluster = RESPONDENT_WORDS.get(group, OTHER_RESPONDENTS)
    return Respondents(str(one), str(many), str(cluster))


CHANNELS: Mapping[str, Promise | str] = {
    "web": _("web form"),
    "paper": _("paper ballot"),
    "kobo": "KoboToolbox",
    "odk": "ODK",
    "csv": _("spreadsheet"),
}


def verdict_label(verdict: str) -> str:
    return str(VERDICTS.get(Verdict(verdict), verdict)) if verdict in set(Verdict) else verdict


def flag_label(flag: str, words: Respondents | None = None) -> str:
    if flag == Flag.IDENTICAL and words is not None:
        return words.identical_flag()
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
