"""Frozen records as plain dataclasses; pydantic validates them only at the edges.

Every record (the rulebook's, the recommendation, probe and path-check files, worker
messages) and every other frozen value of fwadvisor (problems, options, report views) is a
standard-library dataclass declared with `@record` on `Record`, so that `fwadvisor recommend`
never imports pydantic's model machinery and creates its classes cheaply (their cost:
docs/notes/startup.md). A class that needs an instance `__dict__` (`functools.cached_property`)
stays a plain frozen dataclass. pydantic still does all the validating, where data comes in
from outside: it validates dataclasses (and unions of them) natively (`TypeAdapter`), reading

* `__pydantic_config__` (unknown keys rejected; a field's description is the string literal
  written under it, its *attribute docstring*);
* constraints from `Annotated` metadata: `Str` and `Limits` below, which hand pydantic its own
  constraint types when it asks (so that declaring them imports nothing);
* `__post_init__` checks, whose ValueError becomes a validation error at that record.

Every helper that needs pydantic imports it when called.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, TypeAdapter
    from pydantic_core import CoreSchema

T = TypeVar("T")


def _attribute_docstrings(kind: type[Any]) -> dict[str, str]:
    """The attribute docstrings written in `kind`'s own body, by field name."""
    import ast
    import inspect
    import textwrap

    try:
        source = textwrap.dedent(inspect.getsource(kind))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body[0]
    if not isinstance(body, ast.ClassDef):
        return {}
    docs = {}
    for field, doc in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(doc, ast.Expr)
            and isinstance(doc.value, ast.Constant)
            and isinstance(doc.value.value, str)
        ):
            docs[field.target.id] = inspect.cleandoc(doc.value.value)
    return docs


def _field_docs(schema: dict[str, Any], kind: type[Any]) -> None:
    """Each field's description in the JSON Schema: on one line (an attribute docstring wrapped
    over several source lines is one sentence, not lines), and for a field inherited from a
    base record, the base's docstring (pydantic reads only the class's own body)."""
    inherited: dict[str, str] = {}
    for base in reversed(kind.__mro__[1:]):
        if dataclasses.is_dataclass(base):
            inherited.update(_attribute_docstrings(base))
    for name, prop in schema.get("properties", {}).items():
        if not isinstance(prop, dict):
            continue
        if "description" not in prop and name in inherited:
            prop["description"] = inherited[name]
        if isinstance(prop.get("description"), str):
            prop["description"] = " ".join(prop["description"].split())


RECORD_CONFIG: dict[str, Any] = {
    "extra": "forbid",
    "use_attribute_docstrings": True,
    "json_schema_extra": _field_docs,
}


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,)
)
def record(cls: type[T]) -> type[T]:
    """Make `cls` a record: a frozen, keyword-only dataclass with slots. Declare records as
    `@record class Name(Record)`, each field's description the string literal under it.

    `dataclasses` scans the fields and adds the slots; it generates no method. Equality,
    hashing, repr, the frozen `__setattr__` and `__delattr__` and pickling are `Record`'s,
    written once; `__init__` is compiled for each class the first time one is made, in the
    form `dataclasses` writes for a frozen, keyword-only class. `dataclasses` compiles every
    method of every class separately, and `recommend` creates some 80 record classes and
    makes instances of about 60 (docs/notes/startup.md has the figures).

    They behave as the ones Python 3.10-3.12 generate (tests/test_records.py compares each
    record with a twin `dataclasses` makes; 3.13's `__eq__` compares field by field, so only
    a NaN held by both sides would differ). What differs: assigning a name that is not a
    field raises `FrozenInstanceError` (the generated one can raise `TypeError` there);
    `__dataclass_params__.frozen` is False, so a record cannot be subclassed by a plain
    `@dataclass`; and until the first instance, `inspect.signature` of a record class shows
    `(**values)`. So that the methods written once stay right, a record must derive from
    `Record`, may not write its own `__init__`, `__setattr__`, `__delattr__`,
    `__getstate__` or `__setstate__`, and may not have a field that is an `InitVar` or opts
    out of `__init__`, comparison, hashing or repr."""
    made = dataclasses.dataclass(
        init=False, frozen=False, slots=True, kw_only=True, repr=False, eq=False
    )(cls)
    base = globals().get("Record")  # None while Record itself is being made
    if base is not None:
        if not issubclass(made, base):
            raise TypeError(f"@record class {cls.__name__} must derive from Record")
        own = sorted(_RECORD_METHODS & cls.__dict__.keys())
        if own:
            raise TypeError(f"@record class {cls.__name__} may not define {', '.join(own)}")
    fields: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(made)  # type: ignore[arg-type]
    for f in fields:
        if not (f.init and f.compare and f.repr and f.hash is None):
            raise TypeError(
                f"{cls.__name__}.{f.name}: records take, compare, hash and show every field"
            )
    named = {f.name for f in fields}
    pseudo: dict[str, dataclasses.Field[Any]] = made.__dataclass_fields__  # type: ignore[attr-defined]
    for name, f in pseudo.items():
        if name not in named and "InitVar" in str(f.type):
            raise TypeError(f"{cls.__name__}.{name}: a record takes no InitVar")
    made.__init__ = _first_init(made)  # type: ignore[method-assign]
    return made


_RECORD_METHODS = frozenset(
    {"__init__", "__setattr__", "__delattr__", "__getstate__", "__setstate__"}
)
"""What `Record` writes once for every record, and a record may not write for itself."""


class _Factory:
    """The default of a field made by a factory, in a compiled `__init__`'s signature."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _first_init(kind: type[Any]) -> Any:
    """An `__init__` that compiles `kind`'s own on the first call and puts it in its place."""

    def __init__(self: Any, /, **values: Any) -> None:
        init = _compiled_init(kind)
        kind.__init__ = init  # two threads may both compile it: the same function
        init(self, **values)

    __init__.__qualname__ = f"{kind.__qualname__}.__init__"
    return __init__


def _compiled_init(kind: type[Any]) -> Any:
    """`kind.__init__` as `dataclasses` writes it for a frozen, keyword-only class: each
    argument set with `object.__setattr__` in field order, defaults and factories as
    declared, then `__post_init__`; annotated with the fields' declared types."""
    env: dict[str, Any] = {"__record_set": object.__setattr__, "__record_factory": _FACTORY}
    params, body = [], []
    annotations: dict[str, Any] = {}
    for i, f in enumerate(dataclasses.fields(kind)):
        annotations[f.name] = f.type
        value = f.name
        if f.default is not dataclasses.MISSING:
            env[f"__record_default_{i}"] = f.default
            params.append(f"{f.name}=__record_default_{i}")
        elif f.default_factory is not dataclasses.MISSING:
            env[f"__record_make_{i}"] = f.default_factory
            params.append(f"{f.name}=__record_factory")
            value = f"__record_make_{i}() if {f.name} is __record_factory else {f.name}"
        else:
            params.append(f.name)
        body.append(f"__record_set(__record_self, {f.name!r}, {value})")
    if hasattr(kind, "__post_init__"):
        body.append("__record_self.__post_init__()")
    signature = ", ".join(["__record_self", "/", "*", *params]) if params else "__record_self, /"
    source = f"def __init__({signature}):\n    " + "\n    ".join(body or ["pass"])
    # the source holds only the class's field names (identifiers) and names defined above
    exec(source, env)
    init = env["__init__"]
    init.__qualname__ = f"{kind.__qualname__}.__init__"
    init.__module__ = kind.__module__
    init.__annotations__ = {**annotations, "return": None}
    return init


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def field_names(kind: type[Any]) -> tuple[str, ...]:
    """A dataclass's field names in order (cached: records compare, hash and snapshot by them)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


@record
class Record:
    """The base of every record: frozen, keyword-only, unknown keys rejected on validation."""

    __pydantic_config__: ClassVar[dict[str, Any]] = RECORD_CONFIG

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        return [getattr(self, name) for name in field_names(type(self))]

    def __setstate__(self, state: list[Any]) -> None:
        for name, value in zip(field_names(type(self)), state, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in field_names(type(self)))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        kind = type(self)
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in field_names(kind))
        return f"{kind.__qualname__}({fields})"


@record
class Str(Record):
    """String constraints for pydantic, declared without importing it (`Annotated[str, Str(...)]`)."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    strip_whitespace: bool = False

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic import StringConstraints

        constraints = StringConstraints(
            pattern=self.pattern,
            min_length=self.min_length,
            max_length=self.max_length,
            strip_whitespace=self.strip_whitespace or None,
        )
        return handler.generate_schema(Annotated[source, constraints])


_adapters: dict[Any, TypeAdapter[Any]] = {}


def adapter(kind: Any) -> TypeAdapter[Any]:
    """The pydantic validator and serializer of a record type, built once per process."""
    if kind not in _adapters:
        from pydantic import TypeAdapter

        _adapters[kind] = TypeAdapter(kind)
    return _adapters[kind]


def validate(kind: type[T], data: Any) -> T:
    """`data` validated as `kind` (raises pydantic's ValidationError)."""
    result: T = adapter(kind).validate_python(data)
    return result


def validate_json(kind: type[T], text: str | bytes) -> T:
    result: T = adapter(kind).validate_json(text)
    return result


def dump(record: Any, *, mode: Literal["json", "python"] = "python", **options: Any) -> Any:
    """A record as plain data (`mode="json"`: only JSON types; options as pydantic's)."""
    return adapter(type(record)).dump_python(record, mode=mode, **options)


def dump_json(record: Any, *, indent: int | None = None) -> str:
    """`record` as JSON text, the bytes pydantic's `dump_json` writes (without importing it)."""
    from fwadvisor.jsontext import dumps

    return dumps(record, indent=indent)


def json_schema(kind: Any) -> dict[str, Any]:
    schema: dict[str, Any] = adapter(kind).json_schema()
    return schema


@record
class Limits(Record):
    """Bounds of a number, or the least length of a list, for pydantic (`Annotated[float,
    Limits(ge=0, le=5)]`), declared without importing it."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    min_length: int | None = None

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic import Field

        given = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        limits: Any = Field(**{k: v for k, v in given.items() if v is not None})
        return handler.generate_schema(Annotated[source, limits])


def _not_a_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    return value


@record
class NotBool(Record):
    """Refuse `true`/`false` where a number is meant: pydantic's lax mode takes True for 1
    (`schema_version: true`), and `Literal` cannot be made strict. The JSON Schema is the
    inner type's."""

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(_not_a_bool, handler(source))


SchemaVersion1 = Annotated[Literal[1], NotBool()]
"""Version 1 of a file format: the number 1, not `true`."""
