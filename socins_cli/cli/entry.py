"""The ``socins`` entry point: signals and streams set up before anything heavy is imported.

Ctrl-C can arrive while typer and the law still import (the first tens of
milliseconds). Python's own handler then prints a traceback, or, inside the
import machinery, "Exception ignored" and carries on. So the handlers are
installed first: an interrupt during start-up, or inside an import, ends at
once with one line and 130; later it raises KeyboardInterrupt, which
``app.main()`` turns into the same line after stopping batch workers.
SIGTERM does the same with 143.

stdout and stderr that cannot encode Chinese (``PYTHONIOENCODING=ascii``)
write what they cannot encode as ``\\u`` escapes (``\\u4e2d`` for 中), and socins says so
once on stderr at the end.
"""

from __future__ import annotations

import codecs
import gc
import os
import signal
import sys

INTERRUPTED = 130
TERMINATED = 143


class Terminated(BaseException):
    """SIGTERM inside a command: unwinds like Ctrl-C (workers are stopped), ends with 143."""


_started = False
_escaped = False


def _in_import(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _leave(code: int, word: str) -> None:
    try:
        os.write(2, f"socins: {word}\n".encode())
    except OSError:
        pass
    os._exit(code)


def _on_sigint(signum, frame) -> None:
    if not _started or _in_import(frame):
        _leave(INTERRUPTED, "interrupted")
    raise KeyboardInterrupt


def _on_sigterm(signum, frame) -> None:
    if not _started or _in_import(frame):
        _leave(TERMINATED, "terminated")
    raise Terminated()


def _escape(err: UnicodeEncodeError):
    global _escaped
    _escaped = True
    return codecs.backslashreplace_errors(err)


def _fit_streams() -> None:
    """Streams whose encoding cannot write Chinese escape it instead of failing.

    Only escapes in the output earn the closing notice: an error line that
    escapes its own value stays the one line an error is.
    """
    codecs.register_error("socins-escape", _escape)
    for stream, errors in ((sys.stdout, "socins-escape"), (sys.stderr, "backslashreplace")):
        try:
            "社".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            try:
                stream.reconfigure(errors=errors)
            except (AttributeError, ValueError):
                pass


def main() -> None:
    global _started
    gc.disable()  # start-up builds what lives to the end, no garbage: app.guarded() turns collection back on
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGTERM, _on_sigterm)
    _fit_streams()
    from socins_cli.cli import app

    _started = True
    code = 0
    stdout_was = _identity(1)
    try:
        app.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code == 1 and _reader_left(stdout_was):
            code = 0  # rich, printing typer's help into a closed pipe (``--help | head``), exits 1 itself
    except Terminated:
        sys.stderr.write("socins: terminated\n")
        code = TERMINATED
    except KeyboardInterrupt:
        sys.stderr.write("socins: interrupted\n")
        code = INTERRUPTED
    if _escaped:
        sys.stderr.write(f"socins: warning: the output encoding ({sys.stdout.encoding}) cannot write some "
                         "characters; they were written as \\u escapes (set PYTHONIOENCODING=utf-8)\n")
    _finish(code)


def _identity(fd: int):
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _reader_left(stdout_was) -> bool:
    """True when standard output was pointed at /dev/null during the run, as rich does when its reader has gone.

    A user cannot redirect a running process's output, so output that did
    not start on /dev/null and ends there was moved there by rich's
    ``on_broken_pipe``: the reader left, which ends quietly, as ``| head`` does
    for every other command.
    """
    now = _identity(1)
    try:
        null = os.stat(os.devnull)
    except OSError:
        return False
    return now is not None and now != stdout_was and now == (null.st_dev, null.st_ino)


def _finish(code: int) -> None:
    """Flush the streams and end the process without tearing the interpreter down.

    Why: the command is done and everything it wrote is flushed or closed
    (``--output`` files are closed where they are opened, the law cache is
    renamed into place before the answer), so freeing every object the run
    built (the law, a batch's caches) one by one, as ``sys.exit`` does, is
    time spent for nothing: 50-80 ms after a 100,000-row batch, ~5 ms after
    one query (measured with ``benchmarks/batch.py`` and ``startup.py``).
    A stream that cannot take its last bytes ends as ``app.main`` ends it: a
    reader gone away (``| head``) quietly, any other failure with one line.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except (OSError, ValueError) as exc:
        _write_stderr(f"socins: error: reading or writing failed: {getattr(exc, 'strerror', None) or exc}\n")
        code = code or 2
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


def _write_stderr(text: str) -> None:
    try:
        sys.stderr.write(text)
    except (OSError, ValueError):
        pass
