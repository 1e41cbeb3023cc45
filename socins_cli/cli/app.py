"""The ``socins`` application: registers the commands and turns errors into exit codes.

``main()`` is the one place where exceptions become a message: a
``SocinsError`` prints ``socins: error: <one line>`` and exits with its code;
a closed pipe ends quietly; Ctrl-C exits 130. ``--traceback`` (or
``SOCINS_TRACEBACK=1``) re-raises for debugging.
"""

from __future__ import annotations

import functools
import os
import sys

import typer

try:  # typer 0.25+ vendors click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer depends on click itself
    from click import exceptions as click_exceptions

from socins_cli.cli import check, inequities, law_commands, retirement, timeline

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Chinese social-insurance law as data: who must or may join which scheme, on which date, and which articles say so.",
)



class OutputClosed(Exception):
    """The reader of stdout went away (``| head``): a normal end, not an error."""


class Interrupted(Exception):
    """Ctrl-C inside a command."""


def guarded(command):
    """Run a command so that a closed pipe and Ctrl-C reach ``main()`` as themselves.

    typer turns EPIPE into exit 1 and Ctrl-C into a silent 130 before
    ``main()`` sees them; re-raising them as our own exceptions keeps one
    place that decides how socins ends.
    """

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            raise OutputClosed() from None
        except KeyboardInterrupt:
            raise Interrupted() from None

    return run


def register(name: str, command) -> None:
    app.command(name)(guarded(command))


register("check", check.check_command)
register("retirement", retirement.retirement_command)
register("compare", inequities.compare_command)
register("inequities", inequities.inequities_command)
register("timeline", timeline.timeline_command)
register("list", law_commands.list_command)
register("show", law_commands.show_command)
register("search", law_commands.search_command)
register("diff", law_commands.diff_command)
register("validate", law_commands.validate_command)


def main(argv: list[str] | None = None) -> None:
    from socins_cli.errors import ExitCode, SocinsError

    args = list(sys.argv[1:] if argv is None else argv)
    traceback = bool(os.environ.get("SOCINS_TRACEBACK"))
    if "--traceback" in args:
        args.remove("--traceback")
        traceback = True
    try:
        code = app(args=args, prog_name="socins", standalone_mode=False)
        sys.stdout.flush()
    except SocinsError as exc:
        if traceback:
            raise
        _error(str(exc))
        code = exc.exit_code
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        sys.stderr.write("socins: interrupted\n")
        code = ExitCode.INTERRUPTED
    except click_exceptions.ClickException as exc:
        if traceback:
            raise
        hint = ""
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            hint = f" (see '{ctx.command_path} --help')"
        _error(exc.format_message().replace("\n", " ") + hint)
        code = exc.exit_code
    except (OutputClosed, BrokenPipeError):
        _quiet_broken_pipe()
        code = ExitCode.OK
    except (Interrupted, KeyboardInterrupt):
        sys.stderr.write("socins: interrupted\n")
        code = ExitCode.INTERRUPTED
    sys.exit(int(code or 0))


def _error(message: str) -> None:
    sys.stderr.write(f"socins: error: {message}\n")


def _quiet_broken_pipe() -> None:
    """The reader went away (``| head``): point stdout at devnull so the interpreter's final flush is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
