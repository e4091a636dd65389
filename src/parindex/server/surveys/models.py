"""Surveys as run: the sample drawn, the codes issued, what came back and what was kept aside."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.surveys.ballot import Verdict


class Survey(models.Model):
    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    questionnaire = models.CharField(_("questionnaire"), max_length=100)
    edition = models.CharField(_("methodology edition"), max_length=100)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    synthetic = models.BooleanField(_("synthetic"), default=False)
    lonely_psu = models.CharField(
        _("lonely-PSU policy"),
        max_length=20,
        choices=[
            ("adjust", _("adjust: centre a lonely cluster at the grand mean (R's default choice)")),
            ("certainty", _("certainty: a lonely cluster adds no variance")),
            ("average", _("average: a lonely stratum adds the average variance of the others")),
            ("remove", _("remove: a lonely stratum adds no variance")),
        ],
        default="adjust",
        help_text=_(
            "What the standard errors do where a stratum has only one sampled cluster "
            "(R's survey.lonely.psu)."
        ),
    )
    data_version = models.PositiveIntegerField(
        _("data version"),
        default=0,
        editable=False,
        help_text=_("Raised by every intake; stored estimates of an older version are stale."),
    )
    nonresponse_adjustment = models.CharField(
        _("non-response adjustment"),
        max_length=10,
        choices=[
            ("cluster", _("within the last-stage cluster (village)")),
            ("stratum", _("within the stratum")),
            ("none", _("none (design weights only)")),
        ],
        default="cluster",
        help_text=_(
            "How the weight of sampled units that did not answer passes to those that did; a "
            "cluster with no answer passes it to the cluster above."
        ),
    )
    raking_margins = models.JSONField(
        _("raking margins"),
        default=dict,
        blank=True,
        help_text=_(
            'Known population totals by answer, to rake the weights to: {"question": '
            '{"answer": total, ...}, ...}; empty for none.'
        ),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
        help_text=_("The unit whose managers run it; empty: a national survey."),
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.name


class SampledUnit(models.Model):
    """A selected household (or respondent) with its ballot code and design information."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sample")
    position = models.PositiveIntegerField(_("position in the sample"))
    code = models.CharField(_("ballot code"), max_length=11)
    domain = models.CharField(_("domain"), max_length=100, help_text=_("e.g. the province"))
    stratum = models.CharField(_("stratum"), max_length=100)
    clusters = models.JSONField(_("clusters by stage"), default=list)
    population = models.JSONField(_("population counts by stage (fpc)"), default=list)
    inclusion_probability = models.FloatField(_("inclusion probability"))
    label = models.CharField(_("household or respondent"), max_length=255, blank=True)
    area = models.CharField(_("area"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sampled unit")
        verbose_name_plural = _("sampled units")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="code_once_per_survey"),
            models.UniqueConstraint(fields=["survey", "position"], name="position_once_per_survey"),
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} #{self.position} ({self.domain})"


class Response(models.Model):
    """A counted submission: at most one per sampled unit, whatever the channel."""

    unit = models.OneToOneField(SampledUnit, on_delete=models.CASCADE, related_name="response")
    channel = models.CharField(_("channel"), max_length=20)
    received_at = models.DateTimeField(_("received at"))
    answers = models.JSONField(_("answers"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.unit} · {self.channel}"


class SetAside(models.Model):
    """A submission kept aside and reported, never counted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="set_aside")
    code = models.CharField(_("code as received"), max_length=40)
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=[(v.value, v.value) for v in Verdict]
    )
    reason = models.CharField(_("reason"), max_length=255)
    channel = models.CharField(_("channel"), max_length=20)
    received_at = models.DateTimeField(_("received at"))
    answers = models.JSONField(_("answers"))

    class Meta:
        verbose_name = _("submission kept aside")
        verbose_name_plural = _("submissions kept aside")

    def __str__(self) -> str:
        return f"{self.code} · {self.verdict}"


class WebDraft(models.Model):
    """Answers given on the web form so far, kept so a respondent resumes where they stopped
    (on any device: the ballot code is the key)."""

    unit = models.OneToOneField(SampledUnit, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(_("answers"), default=dict)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("web form in progress")
        verbose_name_plural = _("web forms in progress")

    def __str__(self) -> str:
        return str(self.unit)


class PaperEntry(models.Model):
    """One data clerk's keying of a paper ballot; two agreeing keyings make a submission."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="paper_entries")
    code = models.CharField(_("ballot code"), max_length=11)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="paper_entries"
    )
    answers = models.JSONField(_("answers"))
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper entry")
        verbose_name_plural = _("paper entries")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "code", "clerk"], name="one_keying_per_clerk_and_ballot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.clerk}"


class StoredComputation(models.Model):
    """Estimates or quality flags as last computed, with the fingerprint of the data and
    settings they were computed from: pages read them instead of recomputing on every visit."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="computations")
    kind = models.CharField(_("kind"), max_length=20)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    payload = models.JSONField(_("payload"))
    arrays = models.BinaryField(
        _("arrays"),
        blank=True,
        default=b"",
        help_text=_("Numbers too many for JSON (replicate estimates), as a compressed NumPy file."),
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("stored computation")
        verbose_name_plural = _("stored computations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "kind"], name="one_computation_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} · {self.kind}"


class CodeAttempt(models.Model):
    """A ballot code typed on the web form that opened nothing (not a code of the survey, or a
    ballot already counted), kept for a while to limit guessing (``surveys.throttle``)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="code_attempts")
    client = models.CharField(_("client address"), max_length=64)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("refused ballot code")
        verbose_name_plural = _("refused ballot codes")
        indexes = [models.Index(fields=["client", "at"], name="code_attempt_client_at")]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.client}"
