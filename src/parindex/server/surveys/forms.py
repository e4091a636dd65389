"""Forms of the survey pages. Uploads are checked for size and kind before anything is read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parindex.core.surveys.exports import KOBO_CODE, KOBO_TIME
from parindex.core.surveys.frame import StageSpec
from parindex.core.surveys.questionnaire import Question, Questionnaire
from parindex.core.tabular import MAX_BYTES
from parindex.server.surveys.labels import Respondents

MAX_UPLOAD = MAX_BYTES  # core.tabular's limit: a frame of 200,000 rows fits
TABLE_SUFFIXES = (".csv", ".xlsx")


def check_table_upload(upload: Any) -> Any:
    name = upload.name.lower()
    if not name.endswith(TABLE_SUFFIXES):
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    if upload.size > MAX_UPLOAD:
        raise ValidationError(_("The file is larger than 20 MB."))
    return upload


class DrawForm(forms.Form):
    frame = forms.FileField(
        label=_("Sampling frame (.csv or .xlsx)"),
        help_text=_("One row per household or dossier; the first row names the columns."),
        validators=[check_table_upload],
    )
    strata = forms.CharField(label=_("Stratum column"), required=False)
    stages = forms.CharField(
        label=_("Stages"),
        required=False,
        help_text=_(
            "Cluster columns with how many to take per parent, outermost first, "
            "e.g. commune:6, village:3 (add :pps for probability proportional to size)."
        ),
    )
    final_take = forms.IntegerField(
        label=_("Households (or dossiers) per last cluster"), min_value=1
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0)
    labels = forms.CharField(
        label=_("Columns that name the household on its ballot"), required=False
    )

    def __init__(self, *args: Any, respondents: Respondents | None = None, **kwargs: Any) -> None:
        """``respondents``: the survey's words (officials, households …) for the labels."""
        super().__init__(*args, **kwargs)
        if respondents is None:
            return
        words = {"respondent": respondents.one, "respondents": respondents.many}
        self.fields["frame"].help_text = (
            gettext("One row per %(respondent)s; the first row names the columns.") % words
        )
        self.fields["final_take"].label = capfirst(
            gettext("%(respondents)s per last cluster") % words
        )
        self.fields["labels"].label = (
            gettext("Columns that name the %(respondent)s on its ballot") % words
        )

    def clean_stages(self) -> list[StageSpec]:
        specs = []
        for part in filter(None, (p.strip() for p in self.cleaned_data["stages"].split(","))):
            pieces = [p.strip() for p in part.split(":")]
            method = pieces[2] if len(pieces) == 3 else "srs"
            if len(pieces) not in (2, 3) or not pieces[1].isdigit() or method not in ("srs", "pps"):
                raise ValidationError(
                    _("'%(part)s' is not column:number or column:number:pps."),
                    params={"part": part},
                )
            specs.append(StageSpec(pieces[0], int(pieces[1]), method))  # type: ignore[arg-type]
        return specs

    def clean_labels(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["labels"].split(",") if c.strip()]


class ImportForm(forms.Form):
    export = forms.FileField(
        label=_("Export (.csv or .xlsx)"),
        help_text=_("From KoboToolbox, ODK Central or a data-entry sheet, one row per ballot."),
        validators=[check_table_upload],
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("kobo", "KoboToolbox"), ("odk", "ODK"), ("csv", _("spreadsheet"))],
    )
    code_column = forms.CharField(label=_("Ballot code column"), initial=KOBO_CODE)
    time_column = forms.CharField(label=_("Submission time column"), initial=KOBO_TIME)


def answer_field(question: Question, questionnaire: Questionnaire, english: bool) -> forms.Field:
    label = question.label_en if english and question.label_en else question.label_vi
    choices = [
        (c.code, c.label_en if english and c.label_en else c.label_vi)
        for c in (questionnaire.scale(question.scale).choices if question.scale else ())
    ]
    if question.kind == "select_one" and choices:
        return forms.ChoiceField(
            label=label, choices=choices, widget=forms.RadioSelect, required=False
        )
    if question.kind == "select_multiple" and choices:
        return forms.MultipleChoiceField(
            label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
        )
    if question.kind == "integer":
        return forms.IntegerField(label=label, required=False)
    if question.kind == "decimal":
        return forms.DecimalField(label=label, required=False)
    return forms.CharField(label=label, required=False, max_length=2000)


class AnswersForm(forms.Form):
    """The questions given, as fields named by question id."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        questionnaire: Questionnaire,
        english: bool = False,
        enforce_required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            field = answer_field(question, questionnaire, english)
            field.required = enforce_required and question.required
            self.fields[question.id] = field

    def answers(self) -> dict[str, str]:
        # XLSForm keeps a multiple choice as its codes separated by spaces.
        return {
            name: " ".join(value) if isinstance(value, list) else str(value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "", [])
        }


class PaperForm(AnswersForm):
    code = forms.CharField(label=_("Ballot code"), max_length=20)
    collected_on = forms.DateField(label=_("Collected on"))

    field_order = ["code", "collected_on"]

    def answers(self) -> dict[str, str]:
        return {k: v for k, v in super().answers().items() if k not in ("code", "collected_on")}
