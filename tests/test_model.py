"""The lookup, tree and search API on the real 2026 edition."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import govcodes
from govcodes import (AmbiguousNameError, GovcodesError, InvalidCodeError, UnknownCodeError,
                      UnknownEditionError)

ED = govcodes.edition(2026)


def test_editions_and_unknown_year():
    assert govcodes.edition().year == govcodes.editions()[-1]
    assert govcodes.edition("2026") is govcodes.edition(2026)  # loaded once, cached
    with pytest.raises(UnknownEditionError) as info:
        govcodes.edition(1999)
    assert "2026" in str(info.value)


def test_missing_code_raises_key_error_with_suggestions():
    with pytest.raises(KeyError) as info:
        ED["2080198"]
    err = info.value
    assert isinstance(err, UnknownCodeError)
    assert "2026" in str(err) and "2080199" in str(err)
    assert ED.get("2080198") is None and "2080198" not in ED
    assert ED.get("not a code") is None


def test_tree_walk():
    code = ED["2080101"]
    assert (code.code, code.name, code.level, code.classification, code.year) == (
        "2080101", "行政运行", "项", "functional", 2026)
    assert code.parent is ED["20801"] and code.parent.parent is ED["208"]
    assert [a.code for a in code.ancestors] == ["20801", "208"]
    assert code.path == ("社会保障和就业支出", "人力资源和社会保障管理事务", "行政运行")
    assert code.full_name == "社会保障和就业支出/人力资源和社会保障管理事务/行政运行"
    assert ED["208"].parent is None and ED["208"].depth == 0
    kuan = [c.code for c in ED["208"].children]
    assert kuan == sorted(kuan) and "20801" in kuan and "20805" in kuan
    assert all(len(c) == 5 for c in kuan)
    below = list(ED["20805"].descendants())
    assert {c.code for c in below} >= {"2080501", "2080505", "2080506"}
    assert all(c.code.startswith("20805") for c in below)


def test_iteration_is_in_code_order_and_covers_every_classification():
    codes = [c.code for c in ED]
    assert codes == sorted(codes) and len(codes) == len(ED)
    assert ED.classifications == ("revenue", "functional", "economic-department", "economic-government")
    assert [c.code for c in ED.roots("economic-department")][:3] == ["301", "302", "303"]
    assert all(c.level == "款" for c in ED.codes("economic-government", "款"))


def test_codes_are_immutable_and_compare_by_value():
    import copy
    import pickle

    code = ED["30101"]
    with pytest.raises(AttributeError, match="immutable"):
        code.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del code.code
    assert code == ED["30101"] and hash(code) == hash(ED["30101"])
    assert code != ED["30102"] and code != "30101"
    p = code.provenance
    assert p == copy.copy(p) and pickle.loads(pickle.dumps(p)) == p and hash(p) == hash(copy.deepcopy(p))
    assert repr(ED.correspondence[0]).startswith("Correspondence(department=")


def test_provenance_is_explicit():
    attested = ED["2080101"].provenance
    assert attested.kind == "attested" and attested.documents >= 1
    assert attested.source == "attestations/function_2026.tsv"
    compiled = [c for c in ED if c.provenance.kind == "compiled"]
    assert compiled, "the 2026 edition has compiled entries, and must say so"
    assert all(c.provenance.documents is None for c in compiled)
    assert str(compiled[0].provenance).startswith("compiled")


def test_description_from_documents():
    assert ED["2080101"].description.startswith("反映行政单位")


def test_department_kuan_has_government_counterparts():
    basic = ED["30101"]
    assert basic.government().code == "50101"
    assert basic.government("事业单位").code == "50501"
    assert {row.unit for row in basic.counterparts} >= {"机关", "事业单位"} or \
        {row.unit for row in basic.counterparts} == {"*"}
    assert ED["30113"].government().name == "住房公积金"
    assert ED["2080101"].government() is None
    with pytest.raises(ValueError):
        basic.government("企业")


def test_to_dict_and_json():
    d = govcodes.to_dict(ED["2080101"])
    assert d["parent"] == "20801" and d["year"] == 2026 and d["children"] == []
    assert d["provenance"]["kind"] == "attested"
    assert json.loads(govcodes.to_json(ED["30101"]))["government"][0]["government"] in {"50101", "50501"}
    whole = govcodes.to_dict(ED)
    assert whole["year"] == 2026 and len(whole["codes"]) == len(ED)
    assert len(whole["correspondence"]) == len(ED.correspondence)


def test_import_is_lazy():
    code = "import sys, govcodes; print(sorted(m for m in ('attrs', 'cattrs', 'tabulate', 'govcodes.model') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    code = "import sys, govcodes; govcodes.edition(2026)['2080101']; print('attrs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"  # a cold lookup: the edition's classes need no attrs


def test_errors_form_one_hierarchy():
    for exc in (InvalidCodeError, UnknownCodeError, UnknownEditionError, AmbiguousNameError,
                govcodes.DataError, govcodes.InputError):
        assert issubclass(exc, GovcodesError)


def test_a_cold_lookup_reads_no_amendments_and_no_json():
    code = ("import sys, govcodes; ed = govcodes.edition(2026); ed['2080101']; ed.get('101'); "
            "print('govcodes.amendments' in sys.modules, 'govcodes.changes' in sys.modules, ed._meta is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "True"]


def test_every_part_of_an_edition_with_its_amendments():
    assert ED["101"].name == "税收收入" and [c.code for c in ED["10101"].children][:1] == ["1010101"]
    assert ED["101010101"].level == "目" and ED["101010101"].depth == 3
    assert [c.code for c, d in ED.walk("101", depth=2) if d == 1][:2] == ["10101", "10102"]
    summary = govcodes.edition(2025).summary()
    assert summary["revenue"] > 200 and summary["official"] > 0
    d = govcodes.to_dict(govcodes.edition(2025))
    assert d["as_of"] is None and {a["document"] for a in d["amendments"]} == {"财预〔2025〕41号"}
    assert all(a["date"] == "2025-05-23" and a["source"] == "official" for a in d["amendments"])


def test_codes_made_by_the_loader_are_plain_codes():
    from govcodes.model import Code

    for c in list(ED)[:50] + list(ED.codes("revenue"))[:50]:
        same = Code(c.code, c.name, c.classification, c.year, c._source, c._evidence, ED)
        assert c == same and hash(c) == hash(same) and c.__getstate__() == same.__getstate__()
    with pytest.raises(AttributeError):
        ED["101"].name = "x"  # type: ignore[misc]
