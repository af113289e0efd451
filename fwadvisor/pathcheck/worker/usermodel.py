"""A user's model file inside the worker: load `FILE.py`, call `FACTORY()` for (model,
example_inputs), tell its framework. Only here: the file imports a framework, and it is
untrusted code (the reference is parsed in the parent, fwadvisor.pathcheck.modelfile).
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any


class UserModelProblem(Exception):
    """The user's model file, factory or inputs are unusable (the message says why)."""


def _where(exc: BaseException, file: str) -> str:
    """`line N` of the user's file where the exception passed through it, if it did."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == file]
    return f" (line {frames[-1].lineno})" if frames else ""


def load_module(path: Path) -> ModuleType:
    resolved = str(path.resolve())
    sys.path.insert(0, str(path.resolve().parent))  # the file may import its neighbours
    try:
        spec = importlib.util.spec_from_file_location("fwadvisor_user_model", resolved)
        if spec is None or spec.loader is None:
            raise UserModelProblem("cannot be loaded as a Python module")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except UserModelProblem:
        raise
    except BaseException as exc:  # SyntaxError, ImportError, SystemExit, anything it raises
        raise UserModelProblem(
            f"does not import{_where(exc, resolved)}: {type(exc).__name__}: {exc}"
        ) from None
    return module


def call_factory(module: ModuleType, factory: str, file: str) -> tuple[Any, tuple[Any, ...]]:
    fn = getattr(module, factory, None)
    if not callable(fn):
        raise UserModelProblem(f"has no function {factory!r}")
    resolved = str(Path(file).resolve())
    try:
        made = fn()
    except BaseException as exc:
        raise UserModelProblem(
            f"{factory}() raised{_where(exc, resolved)}: {type(exc).__name__}: {exc}"
        ) from None
    if not isinstance(made, tuple) or len(made) != 2:
        raise UserModelProblem(
            f"{factory}() must return (model, example_inputs), got {type(made).__name__}"
        )
    model, inputs = made
    if not isinstance(inputs, (tuple, list)):
        inputs = (inputs,)
    if not inputs:
        raise UserModelProblem(f"{factory}() returned no example inputs")
    return model, tuple(inputs)


def _roots(obj: Any) -> set[str]:
    return {c.__module__.split(".")[0] for c in type(obj).__mro__}


def _leaves(tree: Any, limit: int = 10_000) -> list[Any]:
    """The leaves of nested dicts, lists and tuples (a pytree of parameters), without
    importing the framework that made them."""
    out: list[Any] = []
    stack = [tree]
    while stack and len(out) < limit:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        else:
            out.append(node)
    return out


def model_roots(model: Any) -> set[str]:
    """Top-level modules of the model's classes; for a pair (function, parameters), as a
    functional framework's model is, also those of the parameters' arrays."""
    roots = _roots(model)
    if isinstance(model, tuple) and len(model) == 2 and callable(model[0]):
        roots |= _roots(model[0])
        for leaf in _leaves(model[1]):
            roots |= _roots(leaf)
    return roots


def detect_framework(model: Any, detect: Mapping[str, Sequence[str]]) -> str:
    """The framework whose modules define one of the model's classes (or, for a pair
    (function, parameters), its parameters' array classes)."""
    roots = model_roots(model)
    for fw, modules in detect.items():
        if roots & set(modules):
            return fw
    raise UserModelProblem(
        f"the factory returned a {type(model).__module__}.{type(model).__name__}, which is "
        f"not a model of a framework with path checks ({', '.join(detect)})"
    )
