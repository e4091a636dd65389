"""Strict loading of an edition folder into an :class:`Edition`, with a report of findings.

Layout (``parindex/methodologies/<index>/<edition>/``)::

    index.yaml            the header and ``fields: [folder, …]`` in order
    <folder>/field.yaml   the field and ``criteria: [name, …]`` in order
    <folder>/<name>.yaml  one criterion with its component criteria

Unknown keys, duplicate keys, wrong types, files listed but absent and files present but not
listed are all findings, located by file and line; so are the semantic checks.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from parindex.core.findings import Finding, Report, sorted_findings
from parindex.core.methodology.checks import check_edition
from parindex.core.methodology.edition import Edition, EditionHeader
from parindex.core.methodology.nodes import ComponentNode, CriterionNode, FieldNode, NodeBase
from parindex.core.methodology.rules import RULE_KINDS
from parindex.core.methodology.yamlsource import line_of, read_yaml

INDEX_FILE = "index.yaml"
FIELD_FILE = "field.yaml"


class EditionFile(EditionHeader):
    fields: tuple[str, ...] = Field(min_length=1)


class FieldFile(NodeBase):
    criteria: tuple[str, ...] = Field(min_length=1)


def _known_keys() -> set[str]:
    """Every key an edition file may hold, for "did you mean" hints."""
    models: list[type[BaseModel]] = [
        EditionFile,
        FieldFile,
        CriterionNode,
        ComponentNode,
        *RULE_KINDS.values(),
    ]
    nested = [
        info.annotation
        for info in EditionHeader.model_fields.values()
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)
    ]
    return {name for model in (*models, *nested) for name in model.model_fields}


KNOWN_KEYS = _known_keys()

PreviousResolver = Callable[[str], Edition | None]


def validation_findings(error: ValidationError, document: Any, filename: str) -> list[Finding]:
    """Pydantic's errors as located findings, with hints a methodology author can act on."""
    findings = []
    for problem in error.errors():
        loc = tuple(problem["loc"])
        kind = problem["type"]
        line, node = line_of(document, loc)
        path = ".".join(str(step) for step in loc) or "(document)"
        message = str(problem["msg"]).removeprefix("Value error, ")
        if kind == "extra_forbidden":
            key = str(loc[-1])
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            findings.append(
                Finding("unknown-key", f"unknown key '{key}'{hint}", filename, line, node)
            )
        elif kind == "missing":
            findings.append(Finding("missing-key", f"'{path}' is required", filename, line, node))
        elif kind == "union_tag_invalid":
            tag = problem.get("ctx", {}).get("tag", "?")
            known = ", ".join(sorted(RULE_KINDS))
            findings.append(
                Finding(
                    "unknown-rule-kind",
                    f"unknown rule kind '{tag}'; known kinds: {known}",
                    filename,
                    line,
                    node,
                )
            )
        elif kind == "union_tag_not_found":
            known = ", ".join(sorted(RULE_KINDS))
            findings.append(
                Finding(
                    "rule-parameters",
                    f"'{path}' needs a 'kind': one of {known}",
                    filename,
                    line,
                    node,
                )
            )
        elif "rule" in loc:
            at = loc.index("rule")
            kind_name = str(loc[at + 1]) if len(loc) > at + 1 else "rule"
            where = ".".join(str(s) for s in loc[at + 2 :])
            text = f"rule {kind_name}: {where + ': ' if where else ''}{message}"
            findings.append(Finding("rule-parameters", text, filename, line, node))
        else:
            given = problem.get("input")
            if (
                kind == "string_type"
                and isinstance(given, int | float)
                and not isinstance(given, bool)
            ):
                message += f" (write ids as text in quotes, e.g. '{given}': YAML reads 1.10 as 1.1)"
            findings.append(Finding("invalid-value", f"{path}: {message}", filename, line, node))
    return findings


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.findings: list[Finding] = []
        self.places: dict[str, tuple[str, int | None]] = {}

    def name(self, path: Path) -> str:
        return str(path)

    def parse(self, path: Path, model: type[BaseModel]) -> tuple[Any, Any]:
        filename = self.name(path)
        if not path.is_file():
            return None, None
        document, found = read_yaml(path.read_text("utf-8"), filename)
        self.findings += found
        if document is None and not found:
            self.findings.append(Finding("invalid-value", "the file is empty", filename, 1))
            return None, None
        if document is None:
            return None, None
        try:
            return model.model_validate(document), document
        except ValidationError as error:
            self.findings += validation_findings(error, document, filename)
            return None, document

    def remember(
        self, node_id: str, path: Path, document: Any, loc: tuple[str | int, ...] = ()
    ) -> None:
        line, _ = line_of(document, (*loc, "id"))
        self.places.setdefault(node_id, (self.name(path), line))

    def listed(
        self,
        folder: Path,
        names: tuple[str, ...],
        suffix: str,
        what: str,
        listing: Path,
        key: str,
        document: Any,
    ) -> list[Path]:
        present = {
            p.name for p in folder.iterdir() if (p.is_dir() if not suffix else p.suffix == suffix)
        }
        present.discard(FIELD_FILE)
        paths = []
        for position, name in enumerate(names):
            path = folder / f"{name}{suffix}"
            if not path.exists():
                line, _ = line_of(document, (key, position))
                self.findings.append(
                    Finding(
                        "missing-file",
                        f"{what} '{name}' is listed but {path.name} does not exist",
                        self.name(listing),
                        line,
                    )
                )
            else:
                paths.append(path)
        for extra in sorted(present - {f"{n}{suffix}" for n in names}):
            self.findings.append(
                Finding(
                    "unlisted-file",
                    f"{extra} is not listed in '{key}' of {listing.name}, so it is not loaded",
                    self.name(folder / extra),
                )
            )
        return paths


def load_edition(path: Path, resolve_previous: PreviousResolver | None = None) -> Report[Edition]:
    """Read the edition folder at ``path``; ``resolve_previous`` finds the edition it follows."""
    reader = _Reader(path)
    index_path = path / INDEX_FILE
    if not index_path.is_file():
        return Report(
            None, (Finding("missing-file", f"no {INDEX_FILE} in this folder", str(path)),)
        )
    header, index_doc = reader.parse(index_path, EditionFile)
    # Even when the header is invalid, load the fields it lists, so their findings come too.
    if header is not None:
        field_names: tuple[str, ...] = header.fields
    elif isinstance(index_doc, dict) and isinstance(index_doc.get("fields"), list):
        field_names = tuple(name for name in index_doc["fields"] if isinstance(name, str))
    else:
        field_names = ()
    fields: list[FieldNode] = []
    complete = header is not None
    for field_path in reader.listed(
        path, field_names, "", "field folder", index_path, "fields", index_doc
    ):
        field_file = field_path / FIELD_FILE
        if not field_file.is_file():
            reader.findings.append(
                Finding(
                    "missing-file",
                    f"no {FIELD_FILE} in field folder {field_path.name}",
                    reader.name(field_path),
                )
            )
            complete = False
            continue
        field_header, field_doc = reader.parse(field_file, FieldFile)
        if field_header is None:
            complete = False
            continue
        reader.remember(field_header.id, field_file, field_doc)
        criteria: list[CriterionNode] = []
        for criterion_path in reader.listed(
            field_path,
            field_header.criteria,
            ".yaml",
            "criterion",
            field_file,
            "criteria",
            field_doc,
        ):
            criterion, criterion_doc = reader.parse(criterion_path, CriterionNode)
            if criterion is None:
                complete = False
                continue
            reader.remember(criterion.id, criterion_path, criterion_doc)
            for position, component in enumerate(criterion.components):
                reader.remember(
                    component.id, criterion_path, criterion_doc, ("components", position)
                )
            criteria.append(criterion)
        if len(criteria) == len(field_header.criteria):
            fields.append(
                FieldNode(**field_header.model_dump(exclude={"criteria"}), criteria=tuple(criteria))
            )
        else:
            complete = False
    if header is None or not complete or len(fields) != len(field_names) or reader.findings:
        return Report(None, sorted_findings(reader.findings))

    edition = Edition(**header.model_dump(exclude={"fields"}), fields=tuple(fields))
    previous = None
    if edition.previous is not None:
        previous = (resolve_previous or (lambda _id: None))(edition.previous)
        if previous is None:
            line, _ = line_of(index_doc, ("previous",))
            reader.findings.append(
                Finding(
                    "previous-unknown",
                    f"previous edition '{edition.previous}' is not available",
                    reader.name(index_path),
                    line,
                )
            )

    def locate(node_id: str) -> tuple[str, int | None]:
        return reader.places.get(node_id, (reader.name(index_path), None))

    reader.findings += check_edition(edition, locate, previous)
    findings = sorted_findings(reader.findings)
    return Report(None if findings else edition, findings)
