"""The ``socins`` application: registers the commands and turns errors into exit codes.

``main()`` is the one place where exceptions become a message: a
``SocinsError`` prints ``socins: error: <one line>`` and exits with its code;
a closed pipe ends quietly; Ctrl-C exits 130. ``--traceback`` (or
``SOCINS_TRACEBACK=1``) re-raises for debugging.
"""

import functools
import gc
import os
import sys

import typer

try:  # typer 0.25+ vendors click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer depends on click itself
    from click import exceptions as click_exceptions

import importlib

from socins_cli.cli.examples import epilog

HELP = ("Chinese social-insurance law as data: who must or may join which scheme, on which date, and which articles "
        "say so. Every command takes --statutes DIR (or SOCINS_STATUTES=DIR) to answer from another statutes folder.")

#: command name -> (module in socins_cli.cli, function); help lists them in this order.
COMMANDS = {
    "check": ("check", "check_command"),
    "retirement": ("retirement", "retirement_command"),
    "compare": ("inequities", "compare_command"),
    "inequities": ("inequities", "inequities_command"),
    "timeline": ("timeline", "timeline_command"),
    "list": ("law_commands", "list_command"),
    "show": ("law_commands", "show_command"),
    "search": ("law_commands", "search_command"),
    "diff": ("law_commands", "diff_command"),
    "history": ("citations", "history_command"),
    "cite": ("citations", "cite_command"),
    "validate": ("law_commands", "validate_command"),
    "mcp": ("mcp", "mcp_command"),
    "reforms": ("reforms", "reforms_command"),
}


def _print_version(value: bool) -> None:
    if value:
        from socins_cli import __version__

        print(f"socins {__version__}")
        raise typer.Exit(0)


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with just ``only``.

    Building a command's options costs time on every run; a single query
    needs only its own command, so ``main()`` builds just that one unless
    the user asks for the overview.
    """
    app = typer.Typer(pretty_exceptions_enable=False, no_args_is_help=True, help=HELP,
                      context_settings={"help_option_names": ["-h", "--help"]})

    @app.callback()
    def root(
        version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True,
                                     callback=_print_version),
    ) -> None:  # also keeps subcommand syntax when only one command is registered
        pass

    for name, (module, function) in COMMANDS.items():
        if only is None or name == only:
            command = getattr(importlib.import_module(f"socins_cli.cli.{module}"), function)
            app.command(name, epilog=epilog(name))(guarded(command))
    return app


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

    options = _options(command)

    @functools.wraps(command)
    def run(*args, **kwargs):
        if not gc.isenabled():  # started by entry.main(), which builds the app without collecting
            gc.freeze()  # what start-up built lives to the end: no collection need look at it again
            gc.enable()
        _refuse_empty(kwargs, options)
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            raise OutputClosed() from None
        except KeyboardInterrupt:
            raise Interrupted() from None

    return run


def _options(command) -> dict:
    """A command's options (not its arguments) by parameter name, each as the field its errors name:
    ``--from`` as ``from``, ``--as-of`` as ``as_of``, ``--format`` as ``format``."""
    import inspect

    from typer.models import OptionInfo

    found = {}
    for name, p in inspect.signature(command).parameters.items():
        if isinstance(p.default, OptionInfo):
            longs = [d for d in (p.default.param_decls or ()) if d.startswith("--")]
            found[name] = longs[0][2:].replace("-", "_") if longs else name
    return found


def _refuse_empty(values: dict, options: dict) -> None:
    """An option given as blank text, or an argument as "", is bad input, named as the user wrote it."""
    from socins_cli.api import refuse_empty

    refuse_empty({options[k]: v for k, v in values.items() if k in options})
    refuse_empty({k: v for k, v in values.items() if k not in options and v == ""}, required=True)


def main(argv: list[str] | None = None) -> None:
    from socins_cli.errors import ExitCode, SocinsError
    from socins_cli.formats import silence_stdout

    args = list(sys.argv[1:] if argv is None else argv)
    traceback = bool(os.environ.get("SOCINS_TRACEBACK"))
    if "--traceback" in args:
        args.remove("--traceback")
        traceback = True
    try:
        _check_arguments(args)
        args = _take_statutes(args)
        wanted = next((a for a in args if not a.startswith("-")), None)
        app = build_app(wanted if wanted in COMMANDS else None)
        code = app(args=args, prog_name="socins", standalone_mode=False)
        sys.stdout.flush()
    except SocinsError as exc:
        if traceback:
            raise
        _error(_option_message(exc))
        code = exc.exit_code
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        sys.stderr.write("socins: interrupted\n")
        code = ExitCode.INTERRUPTED
    except click_exceptions.ClickException as exc:
        if traceback:
            raise
        _error(_usage_message(exc))
        code = exc.exit_code
    except (OutputClosed, BrokenPipeError):  # the reader went away (`| head`): quietly
        silence_stdout()
        code = ExitCode.OK
    except OSError as exc:  # a full disk, an I/O error: one line, and no second failure at the final flush
        if traceback:
            raise
        silence_stdout()
        where = f" ({exc.filename})" if exc.filename else ""
        _error(f"reading or writing failed{where}: {exc.strerror or exc}")
        code = ExitCode.BAD_INPUT
    except (Interrupted, KeyboardInterrupt):
        sys.stderr.write("socins: interrupted\n")
        code = ExitCode.INTERRUPTED
    sys.exit(int(code or 0))


def _usage_message(exc) -> str:
    """click's message on one line, with where to read more; a command line that asks nothing says so."""
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return (exc.format_message().replace("\n", " ") or _nothing_asked(ctx)) + hint


def _nothing_asked(ctx) -> str:
    """The line for a command line that asks nothing (click prints the help and gives no message)."""
    command = getattr(ctx, "command", None)
    names = list(getattr(command, "commands", {}) or ())
    if names:
        return "command: none given: expected one of " + "|".join(names)
    return "arguments: none given"


def _option_message(exc) -> str:
    """A missing value named as the option a user types (``--female-track``), not as the attribute."""
    from socins_cli.errors import InputError

    if isinstance(exc, InputError) and hasattr(exc, "option_words"):  # the API's words: say the command's options
        exc.field, exc.allowed = exc.option_words
        exc.args = (exc.describe(exc.field),)
    if isinstance(exc, InputError) and exc.value is None and exc.field.replace("_", "").isalpha():
        return exc.describe("--" + exc.field.replace("_", "-"))
    return str(exc)


def _error(message: str) -> None:
    from socins_cli.errors import one_line

    sys.stderr.write(f"socins: error: {one_line(message)}\n")


def _check_arguments(args: list[str]) -> None:
    """An argument that is not text (bytes the locale cannot decode) is bad input, named by its position."""
    from socins_cli.errors import InputError

    for i, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(f"argument {i}", arg, "expected text in the locale's encoding (UTF-8)") from None


def _take_statutes(args: list[str]) -> list[str]:
    """``--statutes DIR`` anywhere before ``--`` becomes ``SOCINS_STATUTES``, so every command has it alike."""
    from socins_cli.errors import InputError

    out = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out += args[i:]
            break
        if arg == "--statutes" or arg.startswith("--statutes="):
            if arg == "--statutes":
                if i + 1 >= len(args):
                    raise InputError("--statutes", None, "expected a statutes folder after it")
                value, i = args[i + 1], i + 2
            else:
                value, i = arg.split("=", 1)[1], i + 1
            if not value or not os.path.isdir(value):  # a path mistyped is bad usage; a folder that fails is exit 3
                raise InputError("--statutes", value, "expected an existing statutes folder")
            os.environ["SOCINS_STATUTES"] = value
            continue
        out.append(arg)
        i += 1
    value = os.environ.get("SOCINS_STATUTES")
    if value and not os.path.isdir(value):  # set by hand: a mistyped path is bad usage as with --statutes
        raise InputError("SOCINS_STATUTES", value, "expected an existing statutes folder")
    return out
