"""How change records compose across years, on small synthetic editions."""

from __future__ import annotations

from decimal import Decimal

import pytest

import govcodes
from govcodes import changes, model
from govcodes.changes import Change


def _edition(year, names):
    return model.Edition(year, [(c, n, "functional", "compiled", "") for c, n in names.items()])


@pytest.fixture
def world(monkeypatch):
    """Editions 3001-3003 and their records, in place of the shipped data."""
    def build(editions, steps):
        cache = {y: _edition(y, names) for y, names in editions.items()}
        monkeypatch.setattr(model, "_cache", cache)
        monkeypatch.setattr(model, "_years", tuple(sorted(cache)))
        recs = {}
        for (a, b), rows in steps.items():
            recs[(a, b)] = tuple(Change(k, "functional", oc, on, nc, nn, a, b,
                                        Decimal(sh) if sh else None, "inferred", "test")
                                 for k, oc, on, nc, nn, sh in rows)
        monkeypatch.setattr(changes, "_steps", recs)
        monkeypatch.setattr(changes, "_step_cache", {})
        monkeypatch.setattr(changes, "_crosswalks", {})
        monkeypatch.setattr(changes, "_with_amendments", {})

    return build


def _kinds(entries):
    return [(e.code, e.kind, e.share, e.needs_decision) for e in entries]


def test_rename_then_move_is_a_move(world):
    world({3001: {"201": "A", "20101": "x"}, 3002: {"201": "A", "20101": "y"}, 3003: {"201": "A", "20102": "y"}},
          {(3001, 3002): [("renamed", "20101", "x", "20101", "y", None)],
           (3002, 3003): [("moved", "20101", "y", "20102", "y", None)]})
    assert _kinds(changes.lineage(3001, 3003)["20101"]) == [("20102", "moved", None, False)]
    assert [(c.kind, c.old_name, c.new_name) for c in govcodes.diff(3001, 3003) if c.old_code == "20101"] == [
        ("moved", "x", "y")]
    assert changes.verify_step(3001) == [] and changes.verify_step(3002) == []


def test_chained_splits_multiply_their_shares(world):
    world({3001: {"201": "A", "20101": "x"},
           3002: {"201": "A", "20102": "p", "20103": "q"},
           3003: {"201": "A", "20103": "q", "20104": "r", "20105": "s"}},
          {(3001, 3002): [("split", "20101", "x", "20102", "p", "0.4"), ("split", "20101", "x", "20103", "q", "0.6")],
           (3002, 3003): [("split", "20102", "p", "20104", "r", "0.5"), ("split", "20102", "p", "20105", "s", "0.5")]})
    got = {e.code: e.share for e in changes.lineage(3001, 3003)["20101"]}
    assert got == {"20103": Decimal("0.6"), "20104": Decimal("0.20"), "20105": Decimal("0.20")}
    r = govcodes.restate([{"code": "20101", "amount": "100.00"}], 3001, 3003)
    assert sorted((i["code"], i["amount"]) for i in r.items) == [
        ("20103", Decimal("60.00")), ("20104", Decimal("20.00")), ("20105", Decimal("20.00"))]


def test_a_split_whose_branch_ends_needs_a_decision(world):
    world({3001: {"201": "A", "20101": "x"},
           3002: {"201": "A", "20102": "p", "20103": "q"},
           3003: {"201": "A", "20102": "p"}},
          {(3001, 3002): [("split", "20101", "x", "20102", "p", "0.4"), ("split", "20101", "x", "20103", "q", "0.6")],
           (3002, 3003): [("removed", "20103", "q", None, None, None)]})
    assert _kinds(changes.lineage(3001, 3003)["20101"]) == [("20102", "split", None, True)]
    r = govcodes.restate([{"code": "20101", "amount": "100.00"}], 3001, 3003)
    assert r.items == () and r.unplaced[0].reason.startswith("split")


def test_split_then_merge_back_is_a_move(world):
    world({3001: {"201": "A", "20101": "x"},
           3002: {"201": "A", "20102": "p", "20103": "q"},
           3003: {"201": "A", "20104": "r"}},
          {(3001, 3002): [("split", "20101", "x", "20102", "p", None), ("split", "20101", "x", "20103", "q", None)],
           (3002, 3003): [("merged", "20102", "p", "20104", "r", None), ("merged", "20103", "q", "20104", "r", None)]})
    [entry] = changes.lineage(3001, 3003)["20101"]
    assert entry.code == "20104" and entry.kind == "merged" and not entry.needs_decision
    r = govcodes.restate([{"code": "20101", "amount": "100.00"}], 3001, 3003)
    assert [(i["code"], i["amount"]) for i in r.items] == [("20104", Decimal("100.00"))]


def test_reused_code_is_not_a_rename_and_reverse_is_inverse(world):
    world({3001: {"201": "A", "20101": "old meaning"},
           3002: {"201": "A", "20101": "new meaning", "20102": "old meaning"}},
          {(3001, 3002): [("moved", "20101", "old meaning", "20102", "old meaning", None),
                          ("reused", "20101", "old meaning", "20101", "new meaning", None)]})
    assert changes.verify_step(3001) == []
    kinds = sorted((c.kind, c.new_code) for c in govcodes.diff(3001, 3002))
    assert kinds == [("moved", "20102"), ("reused", "20101")]
    back = govcodes.crosswalk(3002, 3001)
    assert [e.code for e in back["20102"]] == ["20101"] and back["20101"] == []


@pytest.mark.parametrize("rows,problem", [
    ([("moved", "20101", "x", "20102", "x", None)], None),
    ([], "disappears"),
    ([("renamed", "20101", "x", "20101", "x", None)], "has no 20101"),
    ([("split", "20101", "x", "20102", "x", None)], "one code only"),
    ([("moved", "20101", "x", "20102", "x", None), ("added", None, None, "20102", "x", None)], "appears"),
    ([("moved", "20101", "x", "20102", "x", None), ("moved", "20101", "x", "20102", "x", None)], "twice"),
])
def test_verify_step_catches_what_does_not_explain_the_difference(world, rows, problem):
    world({3001: {"201": "A", "20101": "x"}, 3002: {"201": "A", "20102": "x"}}, {(3001, 3002): rows})
    problems = changes.verify_step(3001)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_verify_step_rejects_a_split_into_an_existing_code(world):
    world({3001: {"201": "A", "20101": "x", "20102": "y"}, 3002: {"201": "A", "20102": "y", "20103": "z"}},
          {(3001, 3002): [("split", "20101", "x", "20102", "y", None), ("split", "20101", "x", "20103", "z", None)]})
    assert any("already has" in p for p in changes.verify_step(3001))
