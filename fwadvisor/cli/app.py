"""The typer application and its one error handler.

Each command lives in its own module with a `register(app)` function; COMMAND_MODULES is
the explicit registry (tests check that every command module is listed).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

from fwadvisor import __version__
from fwadvisor.cli import signals
from fwadvisor.cli.console import stderr_console
from fwadvisor.errors import ExitCode, FwAdvisorError

# The explicit registry: command name -> module with a `register(app)` function.
# Only the module of the command being run is imported, so `recommend` does not pay for the
# probe's or the questionnaire's imports (tests check the registry is complete).
COMMANDS: dict[str, str] = {
    "questionnaire": "fwadvisor.cli.questionnaire_cmd",
    "recommend": "fwadvisor.cli.recommend_cmd",
    "probe": "fwadvisor.cli.probe_cmd",
    "report": "fwadvisor.cli.report_cmd",
    "compare": "fwadvisor.cli.compare_cmd",
    "rules": "fwadvisor.cli.rules_cmd",
    "schema": "fwadvisor.cli.schema_cmd",
    "paths": "fwadvisor.cli.paths_cmd",
}
COMMAND_MODULES: tuple[str, ...] = tuple(COMMANDS.values())
_loaded: set[str] = set()


app = typer.Typer(
    name="fwadvisor",
    help="Choose a deep-learning framework (PyTorch, TensorFlow or JAX) and see why.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fwadvisor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Choose a deep-learning framework (PyTorch, TensorFlow or JAX) and see why."""


def load_commands(argv: list[str] | None = None) -> typer.Typer:
    """Register the command named in argv, or every command (for --help and for tests)."""
    args = sys.argv[1:] if argv is None else argv
    first = next((a for a in args if not a.startswith("-")), None)
    if first is None and "--version" in args and "--help" not in args:
        names: list[str] = []  # --version is answered before any command would run
    else:
        names = [first] if first in COMMANDS else list(COMMANDS)
    for name in names:
        module = COMMANDS[name]
        if module not in _loaded:
            importlib.import_module(module).register(app)
            _loaded.add(module)
    _stoppable_commands(app)
    return app


def _stoppable_commands(group: typer.Typer) -> None:
    """Every command's callback reports Ctrl-C, SIGTERM and SIGHUP as signals.Stopped: typer
    would turn the KeyboardInterrupt into a silent exit code 130."""
    for info in group.registered_commands:
        if info.callback is not None and not hasattr(info.callback, "__wrapped__"):
            info.callback = signals.stoppable(info.callback)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _stoppable_commands(sub.typer_instance)


def report_user_error(exc: FwAdvisorError) -> None:
    for line in exc.render().splitlines():
        stderr_console(soft_wrap=True).print(f"error: {line}", markup=False)


def _write_crash_log() -> str:
    """Where the traceback was written; undecodable bytes in the command line are escaped."""
    import tempfile  # only on a crash: neither is paid for at start-up
    import traceback

    fd, path = tempfile.mkstemp(prefix="fwadvisor-crash-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(f"fwadvisor {__version__}\n{' '.join(sys.argv)}\n\n")
        fh.write(traceback.format_exc())
    return path


def _report_crash(exc: BaseException) -> None:
    """Say that fwadvisor failed and where the details are; this itself never raises (a full
    disk, an unwritable temporary directory or a closed stderr leave a shorter message)."""
    try:
        where = f"details in {_write_crash_log()}"
    except Exception as log_error:
        where = f"no crash log ({type(log_error).__name__}: {log_error})"
    try:
        stderr_console(soft_wrap=True).print(f"internal error: {exc!r}; {where}", markup=False)
    except Exception:
        with contextlib.suppress(OSError):
            message = f"internal error: {type(exc).__name__}; {where}\n"
            os.write(2, message.encode("utf-8", "backslashreplace"))


def _usage_errors() -> tuple[type[BaseException], ...]:
    """Usage errors raised by the command-line parser (typer vendors click in newer releases)."""
    kinds: list[type[BaseException]] = []
    kinds += [c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"]
    try:
        import click

        kinds.append(click.ClickException)
    except ImportError:  # pragma: no cover - typer without click
        pass
    return tuple(kinds)


# A command builds a few long-lived structures (the rulebook, pydantic's validators, the
# recommendation) and hardly any reference cycles; with Python's default threshold the
# collector rescans them every 700 allocations. mypy raises it for the same reason.
GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def main(argv: list[str] | None = None) -> None:
    """Run one command; every outcome leaves as SystemExit with a documented exit code."""
    with fewer_collections():
        _main(argv)


def run() -> None:
    """The console script (and `python -m fwadvisor`): `main`, then a fast exit.

    Once the command is done and its output flushed, the process ends with `os._exit`,
    skipping the interpreter's teardown (freeing every module and object one by one; measured
    in docs/notes/startup.md): nothing of fwadvisor's waits for it (files are written
    atomically and closed by then). mypy ends the same way, for the same reason.
    FWADVISOR_NO_FAST_EXIT=1 ends through SystemExit instead, for debuggers, coverage and
    atexit hooks.
    """
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt as exc:  # between commands' own handling and the exit
        signum = signals.stopped_by(exc) or signal.SIGINT
        signals.say(signals.message(signum))
        code = signals.exit_code(signum)
    if isinstance(code, str):  # sys.exit("message") prints the message and exits 1
        print(code, file=sys.stderr)
        code = 1
    status = 0 if code is None else code if isinstance(code, int) else 1
    if os.environ.get("FWADVISOR_NO_FAST_EXIT"):
        sys.exit(status)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away, or the stream was closed
        pass
    os._exit(status)


def _stopped(exc: BaseException) -> NoReturn:
    signum = signals.stopped_by(exc) or signal.SIGINT
    signals.say(signals.message(signum))
    sys.exit(signals.exit_code(signum))


def _main(argv: list[str] | None) -> None:
    try:
        load_commands(argv)
        rc = app(args=argv, standalone_mode=False)
    except FwAdvisorError as exc:
        report_user_error(exc)
        sys.exit(int(exc.exit_code))
    except (KeyboardInterrupt, signals.Stopped) as exc:  # Ctrl-C, SIGTERM, SIGHUP
        _stopped(exc)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort as exc:  # click's wrapping of the same
        _stopped(exc)
    except Exception as exc:  # command-line usage errors, and real bugs
        if isinstance(exc, _usage_errors()):
            shown = io.StringIO()  # the parser's message names what was typed: escape it
            exc.show(file=shown)  # type: ignore[attr-defined]
            stderr_console(soft_wrap=True).print(shown.getvalue(), markup=False, end="")
            sys.exit(int(ExitCode.BAD_INPUT))
        _report_crash(exc)
        sys.exit(int(ExitCode.INTERNAL))
    if rc == ExitCode.INTERRUPTED and signals.received() is not None:
        sys.exit(signals.exit_code(signals.received() or signal.SIGINT))  # a command said it
    sys.exit(rc if isinstance(rc, int) else 0)
