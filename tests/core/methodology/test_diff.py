"""Diffs follow ``replaces`` links; a changed node is not comparable year on year."""

from __future__ import annotations

from parindex.core.methodology import ChangeKind, Edition, diff_editions, load_shipped


def edition(
    fields: list[dict[str, object]], edition_id: str = "t/2024", previous: str | None = None
) -> Edition:
    return Edition.model_validate(
        {
            "id": edition_id,
            "title_vi": "Thử",
            "valid_years": {"first": 2024},
            "status": "illustrative",
            "unit_kinds": ["province"],
            "total_points": sum(f["max_points"] for f in fields),  # type: ignore[misc]
            "previous": previous,
            "fields": fields,
        }
    )


def component(
    cid: str, points: float, replaces: str | None = None, rule: dict[str, object] | None = None
) -> dict[str, object]:
    return {
        "id": cid,
        "name_vi": f"thành phần {cid}",
        "max_points": points,
        "replaces": replaces,
        "rule": rule or {"kind": "manual"},
    }


def criterion(
    cid: str, comps: list[dict[str, object]], replaces: str | None = None
) -> dict[str, object]:
    return {
        "id": cid,
        "name_vi": f"tiêu chí {cid}",
        "max_points": sum(c["max_points"] for c in comps),  # type: ignore[misc]
        "components": comps,
        "replaces": replaces,
    }


def field(
    fid: str, crits: list[dict[str, object]], replaces: str | None = None
) -> dict[str, object]:
    return {
        "id": fid,
        "name_vi": f"lĩnh vực {fid}",
        "max_points": sum(c["max_points"] for c in crits),  # type: ignore[misc]
        "criteria": crits,
        "replaces": replaces,
    }


OLD = edition(
    [
        field(
            "1",
            [
                criterion("1.1", [component("1.1.1", 2), component("1.1.2", 3)]),
                criterion("1.2", [component("1.2.1", 5)]),
            ],
        ),
        field("2", [criterion("2.1", [component("2.1.1", 4), component("2.1.2", 1)])]),
    ],
    "t/2023",
)
NEW = edition(
    [
        field(
            "A",
            [
                criterion(
                    "A.1", [component("A.1.1", 2, "1.1.1"), component("A.1.2", 3, "1.1.2")], "1.1"
                ),
                criterion("A.2", [component("A.2.1", 5, "1.2.1", {"kind": "yes_no"})], "1.2"),
            ],
            "1",
        ),
        field(
            "B",
            [criterion("B.1", [component("B.1.1", 5, "2.1.1"), component("B.1.9", 1)], "2.1")],
            "2",
        ),
    ],
    previous="t/2023",
)


def test_nodes_linked_and_unchanged_are_comparable_and_parents_only_if_all_children_are() -> None:
    result = diff_editions(OLD, NEW)
    assert result.links["A.1.1"] == "1.1.1"
    assert {"A.1.1", "A.1.2", "A.1"} <= result.comparable
    assert not result.is_comparable("A.2.1"), "its rule changed"
    assert not result.is_comparable("A.2")
    assert not result.is_comparable("A"), "one criterion is not comparable"
    assert not result.is_comparable("B.1.1"), "its maximum changed"
    assert not result.is_comparable("B.1.9"), "it is new"


def test_changes_are_named() -> None:
    kinds = {(c.kind, c.old_id, c.new_id) for c in diff_editions(OLD, NEW).changes}
    assert (ChangeKind.RULE_CHANGED, "1.2.1", "A.2.1") in kinds
    assert (ChangeKind.MAX_CHANGED, "2.1.1", "B.1.1") in kinds
    assert (ChangeKind.ADDED, None, "B.1.9") in kinds
    assert (ChangeKind.REMOVED, "2.1.2", None) in kinds
    assert (ChangeKind.RENAMED, "1", "A") in kinds


def test_a_component_moved_to_another_criterion_is_not_comparable() -> None:
    moved = edition(
        [
            field(
                "1",
                [
                    criterion("1.1", [component("1.1.1", 2, "1.1.1")], "1.1"),
                    criterion(
                        "1.2",
                        [component("1.2.1", 5, "1.2.1"), component("1.2.2", 3, "1.1.2")],
                        "1.2",
                    ),
                ],
                "1",
            ),
            field(
                "2",
                [
                    criterion(
                        "2.1",
                        [component("2.1.1", 4, "2.1.1"), component("2.1.2", 1, "2.1.2")],
                        "2.1",
                    )
                ],
                "2",
            ),
        ],
        previous="t/2023",
    )
    result = diff_editions(OLD, moved)
    assert ChangeKind.MOVED in {c.kind for c in result.changes if c.new_id == "1.2.2"}
    assert not result.is_comparable("1.2.2")
    assert result.is_comparable("2") and result.is_comparable("2.1.2")


def test_the_2023_province_edition_is_not_comparable_with_2017_below_the_index() -> None:
    old, new = (
        load_shipped("par-index-province/2017").value,
        load_shipped("par-index-province/2023").value,
    )
    assert old is not None and new is not None
    result = diff_editions(old, new)
    assert result.links["1"] == "1"
    assert not any(result.is_comparable(f.id) for f in new.fields)
    assert any(c.kind is ChangeKind.MAX_CHANGED and c.new_id == "1" for c in result.changes)
