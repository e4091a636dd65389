"""The words for the codes of the dossier reader's findings (``core.onestop.records`` and the
table reader below it), in the reader's language.

Core keeps a code and an English sentence with named parameters for every finding; this
catalogue holds the same sentences for gettext, with the same parameters, so a Vietnamese page
says what is wrong in Vietnamese. A test checks that every code core can return has an entry.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parindex.core.findings import Finding

DOSSIER_FINDINGS: Mapping[str, Promise] = {
    "dossier-columns-missing": _(
        "the dossier file lacks the column(s) %(missing)s; its columns are: %(columns)s"
    ),
    "dossier-cell-empty": _("the dossier file's column '%(column)s' is empty"),
    "dossier-code-repeated": _("dossier '%(code)s' is already on row %(first_row)s"),
    "dossier-unit-unknown": _("unit '%(unit)s' is not known"),
    "not-a-time": _(
        "'%(text)s' is not a date and time (write 2024-05-06 08:30 or 06/05/2024 08:30)"
    ),
    "not-yes-no": _("'%(text)s' is neither yes nor no (có/không, yes/no, 1/0)"),
    "not-a-period": _("'%(text)s' is not a supplementation period 'start/end'"),
    "period-reversed": _("the supplementation period '%(text)s' ends before it starts"),
    "appointment-before-received": _("the appointment %(day)s is before the dossier was received"),
    "finished-before-received": _("finished on %(day)s, before the dossier was received"),
    # Raised when the records are stored (the scope of the importing account).
    "unit-out-of-scope": _("unit '%(unit)s' is not known or not in your scope"),
    "dossier-out-of-scope": _("dossier '%(code)s' belongs to a unit outside your scope"),
}

TABLE_FINDINGS: Mapping[str, Promise] = {
    "table-too-large": _("%(file)s is too large: at most %(limit)s MB is accepted"),
    "table-kind": _("%(file)s is not a .csv or .xlsx file"),
    "table-unnamed-column": _("%(file)s, row 1: every column needs a name"),
    "table-column-twice": _("%(file)s, row 1: column '%(column)s' appears twice"),
    "table-no-rows": _("%(file)s has no rows"),
    "table-extra-values": _("%(file)s, row %(row)s: more values than column names"),
    "table-utf16": _(
        "%(file)s is UTF-16 (Excel's 'Unicode Text'); save it again as "
        "'CSV UTF-8 (Comma delimited)'"
    ),
    "table-not-utf8": _(
        "%(file)s, row %(row)s: not UTF-8 text (perhaps Windows-1258 or TCVN3); save the "
        "file as 'CSV UTF-8 (Comma delimited)' in Excel"
    ),
    "table-too-many-rows": _("%(file)s has more than %(limit)s rows; refused"),
}

UNREADABLE = _("%(file)s cannot be read as a table")


def finding_text(finding: Finding) -> str:
    """The finding's sentence in the reader's language, with its values filled in; a finding
    from a code without a translated sentence keeps core's (English) message."""
    sentence = DOSSIER_FINDINGS.get(finding.code) or TABLE_FINDINGS.get(finding.code)
    if sentence is None:
        if finding.code == "unreadable-table":
            return str(UNREADABLE) % {"file": finding.file}
        return finding.message
    return str(sentence) % dict(finding.params)
