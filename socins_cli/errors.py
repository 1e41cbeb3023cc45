"""Errors the library raises and the exit codes the CLI maps them to.

The library never prints or exits: it raises a ``SocinsError`` naming the
field, the value and what is allowed; ``socins_cli.cli`` turns it into one
line on stderr and the exit code fixed by the contract.
"""

from __future__ import annotations

import re


class ExitCode:
    """The exit codes the contract fixes: plain ints (an enum class costs every start ~0.05 ms to make)."""

    OK = 0
    NOT_FOUND = 1  # search found nothing, as grep does
    BAD_INPUT = 2  # bad usage or input; a failed batch row
    BAD_DATA = 3  # the statutes data is invalid
    INTERRUPTED = 130


class SocinsError(Exception):
    """Base of every error socins reports to a user."""

    exit_code = ExitCode.BAD_INPUT

    def __str__(self) -> str:
        """The message on one line, as the command prints it after ``socins: error:`` (``one_line``): the API's
        exception and an MCP error result say it so too, and a value given with a line break cannot split it."""
        return one_line(super().__str__())


class InputError(SocinsError):
    """A user-supplied value is not allowed: names field, value and what is allowed."""

    def __init__(self, field: str, value: object, allowed: str):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(self.describe(field))

    def describe(self, name: str) -> str:
        """The message with the field called ``name`` (the CLI says ``--female-track`` where a batch row says ``female_track``)."""
        if self.value is None:
            return missing(name, self.allowed)
        return f"{name} {_show(self.value)}: {self.allowed}"

    def __reduce__(self):  # picklable, so a batch worker process can hand it back
        return (self.__class__, (self.field, self.value, self.allowed))


class RowFailure(InputError):
    """A batch row that could not be answered for a reason that is not its values (a fault to report): the row's
    record says so in its own words, naming no value."""

    def __init__(self, message: str):
        super().__init__("row", None, message)

    def describe(self, name: str) -> str:
        return f"{name}: {self.allowed}"

    def __reduce__(self):
        return (self.__class__, (self.allowed,))


class NotInForceError(InputError):
    """An instrument, version or article asked for does not exist on that date."""


class DataError(SocinsError):
    """The statutes data is broken: names file, key, value and what is allowed."""

    exit_code = ExitCode.BAD_DATA

    def __init__(self, file: str, key: str, value: object, allowed: str):
        self.file = file
        self.key = key
        self.value = value
        self.allowed = allowed
        shown = "" if value is None else f" = {_show(value)}"  # a missing key or a whole file has no value to show
        super().__init__(f"{file}: {key}{shown}: {allowed}")

    def __reduce__(self):
        return (self.__class__, (self.file, self.key, self.value, self.allowed))


class InvalidStatutes(DataError):
    """A statutes folder failed validation: ``message`` is its first problem line (``file: key = value: allowed``).

    A DataError, so that ``except DataError`` catches every kind of broken data, as the README promises.
    """

    def __init__(self, message: str):
        self.message = message
        self.file = self.key = self.value = None
        self.allowed = message
        SocinsError.__init__(self, message)

    def __reduce__(self):
        return (self.__class__, (self.message,))


def kept(err: BaseException) -> BaseException:
    """``err`` fit to keep in a cache: without its traceback and chained errors, which hold frames (and data)."""
    err.__traceback__ = err.__context__ = err.__cause__ = None
    return err


def fresh(err: SocinsError) -> SocinsError:
    """A new error equal to ``err``: what a cache raises, so no raise leaves its frames on the cached one."""
    cls, args = err.__reduce__()
    return cls(*args)


def missing(name: str, allowed: str) -> str:
    """``--category is required; one of employee, civil-servant, …``: a missing value said as missing, never as ``None``."""
    if allowed.startswith("is required: "):
        rest = allowed[len("is required: "):]
        if re.fullmatch(r"[\w-]+(\|[\w-]+)+", rest):
            rest = "one of " + ", ".join(rest.split("|"))
        return f"{name} is required; {rest}"
    if allowed.startswith("is required"):
        return f"{name} {allowed}"
    return f"{name} is required; {allowed}"


def one_line(text: str) -> str:
    """``text`` with line breaks, other control characters and undecodable bytes escaped: one line, not forgeable."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escaped(c) for c in text)


def _escaped(c: str) -> str:
    if 0xDC80 <= ord(c) <= 0xDCFF:  # a byte the locale could not decode, as Python carries it (surrogateescape)
        return f"\\x{ord(c) - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
        f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


#: The most characters of a value an error line shows: a 2 MB cell is named by its start and its length.
SHOWN_CHARACTERS = 200


def _show(value: object) -> str:
    if isinstance(value, str):
        return '"' + _cut(value) + '"'
    if isinstance(value, float):  # 2.0, nan, inf: as Python reads them (JSON has no nan)
        return repr(value)
    import orjson  # only on the way to an error line; every command that reads input has it loaded

    try:  # as the input wrote it: true, ["a"], {"k": 1} (a JSON value, a Parquet cell), not Python's reprs
        return _cut(orjson.dumps(value).decode())
    except TypeError:
        pass
    try:
        return _cut(repr(value))
    except ValueError:  # a whole number longer than Python writes out (sys.get_int_max_str_digits): its size
        return f"(a whole number of about {int(value.bit_length() * 0.30103) + 1:,} digits)"


def _cut(text: str) -> str:
    if len(text) <= SHOWN_CHARACTERS:
        return text
    return f"{text[:SHOWN_CHARACTERS]}…({len(text):,} characters)"
