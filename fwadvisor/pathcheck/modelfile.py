"""The user's model reference, `--model FILE.py:FACTORY`, checked in the parent (the file
is loaded and its factory called only in a worker: fwadvisor.pathcheck.worker.usermodel).
"""

from __future__ import annotations

from pathlib import Path

from fwadvisor.errors import PathCheckError


def parse_reference(ref: str) -> tuple[Path, str]:
    """`my_model.py:build` -> (path, factory name); PathCheckError (exit 2) when malformed."""
    file, sep, factory = ref.rpartition(":")
    if not sep or not file or not factory.isidentifier():
        raise PathCheckError.at(
            f"expected FILE.py:FACTORY, got {ref!r}",
            field="--model",
            hint="e.g. --model my_model.py:build, where build() returns (model, example_inputs)",
        )
    path = Path(file)
    if not path.is_file():
        raise PathCheckError.at("model file not found", path, field="--model")
    if path.suffix != ".py":
        raise PathCheckError.at("the model file must be a Python file (.py)", path, field="--model")
    return path, factory
