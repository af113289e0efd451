"""One record idiom: every record is declared with `@record` (a frozen, keyword-only dataclass
with slots on `records.Record`), field descriptions are attribute docstrings, and a docstring
wrapped over several source lines reaches the JSON Schema as one line."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Any

import pytest

import fwadvisor
from fwadvisor.models import AnswersFile, EvidenceDraw, EvidenceResult, PathEvidence
from fwadvisor.records import Record, json_schema, record

PACKAGE = Path(fwadvisor.__file__).parent


def _all_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="fwadvisor."):
        if info.name.endswith("__main__") or info.name == "fwadvisor.fleet.cluster":
            continue  # running a worker's main, or importing Ray, is not a test of records
        names.append(info.name)
    return names


def _subclasses(kind: type[Any]) -> set[type[Any]]:
    found = set(kind.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


@pytest.fixture(scope="module")
def records() -> set[type[Any]]:
    for name in _all_modules():
        importlib.import_module(name)
    # slots=True makes a new class: the one it replaced may linger among the subclasses
    return {
        kind
        for kind in _subclasses(Record)
        if getattr(sys.modules[kind.__module__], kind.__qualname__, None) is kind
    }


def test_every_record_is_a_frozen_keyword_only_dataclass_with_slots(
    records: set[type[Any]],
) -> None:
    assert len(records) > 50
    for kind in records:
        params = kind.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen, kind
        assert "__slots__" in kind.__dict__, kind
        assert all(f.kw_only for f in dataclasses.fields(kind)), kind


def _generated_twin(kind: type[Any]) -> type[Any]:
    """The same fields in a class whose methods `dataclasses` generates (eq, hash, repr)."""
    fields = [(f.name, Any, dataclasses.field(kw_only=True)) for f in dataclasses.fields(kind)]
    twin = dataclasses.make_dataclass(kind.__name__, fields, frozen=True, slots=True)
    twin.__qualname__ = kind.__qualname__
    return twin


def test_records_compare_hash_and_print_as_generated_dataclasses_would(
    records: set[type[Any]],
) -> None:
    """Record writes __eq__, __hash__ and __repr__ once instead of generating them per class
    (start-up); for every record they must agree with the generated ones."""
    for kind in sorted(records, key=lambda k: k.__qualname__):
        twin = _generated_twin(kind)
        names = [f.name for f in dataclasses.fields(kind)]
        values = {n: (i, f"v{i}") for i, n in enumerate(names)}
        changed = {n: (i, f"w{i}") for i, n in enumerate(names)}
        a = object.__new__(kind)
        b = object.__new__(kind)
        c = object.__new__(kind)
        for n in names:  # bypass __post_init__ checks: only the generic methods are tested
            object.__setattr__(a, n, values[n])
            object.__setattr__(b, n, values[n])
            object.__setattr__(c, n, changed[n])
        ta, tc = twin(**values), twin(**changed)
        assert repr(a) == repr(ta), kind
        assert (a == b) is True and hash(a) == hash(b) == hash(ta), kind
        assert (a == c) == (ta == tc) and (a != c) == (ta != tc), kind
        assert a.__eq__(ta) is NotImplemented and (a == ta) is False, kind


def test_every_dataclass_has_its_own_docstring() -> None:
    """Without one, `dataclasses` writes the class's signature as its docstring, through
    `inspect.signature`: about 0.4 ms per class, paid by every command at start-up for some
    50 classes (docs/notes/startup.md). Read from the source, so that modules no test imports
    (workers' entry points, the Ray cluster) are covered too."""
    undocumented = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            names = {
                ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list
            }
            if names & {"dataclass", "dataclasses.dataclass", "record"} and not ast.get_docstring(
                node
            ):
                undocumented.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert undocumented == []


def test_a_record_that_would_compare_differently_is_refused() -> None:
    """Record's one __eq__, __hash__ and __repr__ use every field and need the Record base."""
    with pytest.raises(TypeError, match="must derive from Record"):

        @record
        class Loose:
            x: int

    with pytest.raises(TypeError, match="compare, hash and show every field"):

        @record
        class Partial(Record):
            x: int
            note: str = dataclasses.field(default="", compare=False)


def test_a_record_equals_only_its_own_kind() -> None:
    @record
    class Point(Record):
        x: int

    @record
    class Other(Record):
        x: int

    assert Point(x=1) == Point(x=1) and Point(x=1) != Point(x=2)
    assert Point(x=1) != Other(x=1)
    assert {Point(x=1), Point(x=1)} == {Point(x=1)}
    assert repr(Point(x=1)).endswith("Point(x=1)")


def _modules_containing(text: str) -> list[str]:
    """The package's modules whose source contains `text`, relative to the package."""
    return [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if text in p.read_text(encoding="utf-8")
    ]


def test_records_are_declared_with_the_record_decorator_not_spelled_out() -> None:
    assert _modules_containing("@dataclass(frozen=True, slots=True, kw_only=True)") == []


def test_the_rulebook_record_base_is_named_for_what_it_is() -> None:
    from fwadvisor.rulebook import conditions

    assert issubclass(conditions.RulebookRecord, Record)
    assert not hasattr(conditions, "Strict")


def test_evidence_results_are_records() -> None:
    for kind in (EvidenceResult, EvidenceDraw, PathEvidence):
        assert issubclass(kind, Record)
    with pytest.raises(dataclasses.FrozenInstanceError):
        EvidenceResult().points = {}  # type: ignore[misc]
    replaced = dataclasses.replace(EvidenceResult(), warnings=["busy"])
    assert replaced.warnings == ["busy"]


def test_a_wrapped_attribute_docstring_is_one_line_in_the_json_schema() -> None:
    answers = json_schema(AnswersFile)["properties"]["answers"]["description"]
    assert answers == (
        "question id -> answer (text, number, true/false, a choice or a list of choices); "
        "null means unanswered"
    )


def test_a_record_declared_here_validates_like_the_others() -> None:
    @record
    class Sample(Record):
        size: int
        """how many"""
        label: str = "x"

    from fwadvisor.records import validate

    assert validate(Sample, {"size": 3}) == Sample(size=3)
    schema = json_schema(Sample)
    assert schema["properties"]["size"]["description"] == "how many"
    assert schema["additionalProperties"] is False


def test_a_field_inherited_from_a_base_record_keeps_its_description() -> None:
    from fwadvisor.measurements.schema import LoadSample, ProcessLoad

    base = json_schema(LoadSample)["properties"]["foreign_cores"]["description"]
    inherited = json_schema(ProcessLoad)["properties"]["foreign_cores"]["description"]
    assert (
        inherited == base == ("CPU time of other processes (ours subtracted) per second, in cores")
    )


def test_pydantic_models_are_gone() -> None:
    assert not (PACKAGE / "basemodel.py").exists()
    assert _modules_containing("BaseModel") == []


def test_attribute_docstrings_are_triple_quoted() -> None:
    import ast

    single = []
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.ClassDef):
                continue
            for field, doc in zip(node.body, node.body[1:], strict=False):
                if (
                    isinstance(field, ast.AnnAssign)
                    and isinstance(doc, ast.Expr)
                    and isinstance(doc.value, ast.Constant)
                    and isinstance(doc.value.value, str)
                    and not lines[doc.lineno - 1].lstrip().startswith('"""')
                ):
                    single.append(f"{path.relative_to(PACKAGE)}:{doc.lineno}")
    assert single == []
