"""One record idiom: every record is declared with `@record` (a frozen, keyword-only dataclass
with slots on `records.Record`), field descriptions are attribute docstrings, and a docstring
wrapped over several source lines reaches the JSON Schema as one line."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path
from typing import Any

import pytest

import fwadvisor
from fwadvisor.models import AnswersFile, EvidenceDraw, EvidenceResult, PathEvidence
from fwadvisor.records import Record, _compiled_init, json_schema, record

PACKAGE = Path(fwadvisor.__file__).parent


def _all_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="fwadvisor."):
        if info.name.endswith("__main__"):
            continue  # running a worker's main is not a test of records
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
    assert len(records) > 140
    for kind in records:
        assert "__slots__" in kind.__dict__, kind
        assert "__init__" in kind.__dict__, kind  # its own, not a base's
        assert all(f.kw_only for f in dataclasses.fields(kind)), kind
        made = object.__new__(kind)
        for f in dataclasses.fields(kind):
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign"):
                setattr(made, f.name, 1)
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete"):
                delattr(made, f.name)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.not_a_field = 1


def _generated_twin(kind: type[Any], *, defaults: bool = False) -> type[Any]:
    """The same fields in a class whose methods `dataclasses` generates (eq, hash, repr,
    the frozen setattr and delattr, pickling; with `defaults`, `__init__` too)."""
    fields = []
    for f in dataclasses.fields(kind):
        spec: Any = dataclasses.field(kw_only=True)
        if defaults:
            spec = dataclasses.field(
                kw_only=True, default=f.default, default_factory=f.default_factory
            )
        fields.append((f.name, f.type if defaults else Any, spec))
    twin = dataclasses.make_dataclass(
        kind.__name__,
        fields,
        frozen=True,
        slots=True,
        namespace={"__qualname__": kind.__qualname__},
    )
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


def _parameters(init: Any) -> list[tuple[str, Any, str, Any]]:
    signature = inspect.signature(init)
    return [
        (p.name, p.kind, repr(p.default), p.annotation)
        for p in list(signature.parameters.values())[1:]
    ] + [("return", None, "", signature.return_annotation)]


def _error(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(TypeError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_every_records_init_takes_what_a_generated_one_would(records: set[type[Any]]) -> None:
    """`__init__` is compiled per class, lazily (start-up), in the form `dataclasses` writes:
    the same parameters, annotations, defaults and factories, the same errors for wrong
    calls, the same values set."""
    for kind in sorted(records, key=lambda k: k.__qualname__):
        twin = _generated_twin(kind, defaults=True)
        init = _compiled_init(kind)
        assert init.__qualname__ == twin.__init__.__qualname__, kind
        assert _parameters(init) == _parameters(twin.__init__), kind
        required = {
            f.name: object()
            for f in dataclasses.fields(kind)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        blank = object.__new__(kind)
        for name in required:
            fewer = {k: v for k, v in required.items() if k != name}
            assert _error(init, blank, **fewer) == _error(twin, **fewer), kind
        more = {**required, "unknown_field": 1}
        assert _error(init, blank, **more) == _error(twin, **more), kind
        assert _error(init, blank, 1) == _error(twin, 1), kind
        if hasattr(kind, "__post_init__"):
            continue  # its checks would refuse the placeholder values
        made, made_too, generated = kind(**required), kind(**required), twin(**required)
        assert _parameters(kind.__init__) == _parameters(twin.__init__), kind  # installed
        for f in dataclasses.fields(kind):
            mine, theirs = getattr(made, f.name), getattr(generated, f.name)
            assert mine == theirs and type(mine) is type(theirs), (kind, f.name)
            if f.default_factory is not dataclasses.MISSING:
                assert getattr(made_too, f.name) is not mine, (kind, f.name)


@record
class _Sample(Record):
    """A record for the tests below."""

    size: int
    tags: list[str] = dataclasses.field(default_factory=list)
    label: str = "x"

    def __post_init__(self) -> None:
        _SEEN.append((self.size, self.label))
        if self.size < 0:
            raise ValueError("size must not be negative")


@record
class _Larger(_Sample):
    """A record that adds a field to one that checks itself."""

    extra: float = 0.5


_SEEN: list[tuple[int, str]] = []


def test_a_records_init_is_compiled_on_first_use_and_checks_after_every_field() -> None:
    @record
    class Fresh(Record):
        """Made by no other test."""

        size: int

    first = Fresh.__dict__["__init__"]
    assert Fresh(size=1).size == 1
    compiled = Fresh.__dict__["__init__"]
    assert compiled is not first
    assert Fresh(size=2).size == 2 and Fresh.__dict__["__init__"] is compiled

    _SEEN.clear()
    made = _Sample(size=2, label="a")
    again = _Sample(size=3)
    assert again.tags == [] and made.tags is not again.tags
    assert _SEEN == [(2, "a"), (3, "x")]  # after every field was set, once per instance
    with pytest.raises(ValueError, match="negative"):
        _Sample(size=-1)
    assert len(_SEEN) == 3
    larger = _Larger(size=1, extra=2.0)
    assert (larger.size, larger.tags, larger.label, larger.extra) == (1, [], "x", 2.0)
    assert _SEEN[3:] == [(1, "x")]  # the inherited check ran, once
    assert _Sample.__dict__["__init__"] is not _Larger.__dict__["__init__"]  # each its own


def test_a_record_may_not_write_what_record_writes_once_or_take_an_initvar() -> None:
    with pytest.raises(TypeError, match="may not define __init__"):

        @record
        class OwnInit(Record):
            x: int

            def __init__(self, x: int) -> None:
                object.__setattr__(self, "x", x)

    with pytest.raises(TypeError, match="may not define __setattr__"):

        @record
        class Mutable(Record):
            x: int

            def __setattr__(self, name: str, value: Any) -> None:
                object.__setattr__(self, name, value)

    with pytest.raises(TypeError, match="takes no InitVar"):

        @record
        class Scaled(Record):
            x: int
            scale: dataclasses.InitVar[int] = 1


def test_a_record_refuses_changes_and_pickles_as_a_generated_frozen_dataclass_would() -> None:
    import copy
    import pickle

    made = _Sample(size=2, tags=["t"])
    twin = _generated_twin(_Sample, defaults=True)(size=2, tags=["t"])
    for target in (made, twin):
        with pytest.raises(dataclasses.FrozenInstanceError) as caught:
            target.size = 3  # type: ignore[misc]
        assert str(caught.value) == "cannot assign to field 'size'"
        with pytest.raises(dataclasses.FrozenInstanceError) as caught:
            del target.label  # type: ignore[misc]
        assert str(caught.value) == "cannot delete field 'label'"
    assert made.__getstate__() == twin.__getstate__()  # type: ignore[attr-defined]
    for again in (
        pickle.loads(pickle.dumps(made)),
        copy.copy(made),
        copy.deepcopy(made),
        dataclasses.replace(made),
    ):
        assert again == made and again is not made
    assert dataclasses.replace(made, label="y") == _Sample(size=2, tags=["t"], label="y")
    assert dataclasses.asdict(made) == {"size": 2, "tags": ["t"], "label": "x"}


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

    with pytest.raises(TypeError, match="take, compare, hash and show every field"):

        @record
        class Partial(Record):
            x: int
            note: str = dataclasses.field(default="", compare=False)

    with pytest.raises(TypeError, match="take, compare, hash and show every field"):

        @record
        class Derived(Record):
            x: int
            total: int = dataclasses.field(default=0, init=False)


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
