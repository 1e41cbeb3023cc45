"""A number longer than Python writes out (4,300 digits, ``sys.get_int_max_str_digits``), or a digit ``int()`` cannot
read (²), is bad input like any other: an ``InputError`` naming the argument, exit 2 with one line; never a bare
``ValueError`` (a traceback on the command line, "Error executing tool" over MCP). So is a reform named by a text
too long to be a file's name (``OSError`` ENAMETOOLONG)."""

from __future__ import annotations

import pytest

from cli_helpers import run
from socins_cli import api
from socins_cli.errors import InputError

LONG = "9" * 5000


@pytest.mark.parametrize("call,field", [
    (lambda: api.show(instrument="sil", article=LONG), "article"),
    (lambda: api.history(instrument="sil", article=LONG), "article"),
    (lambda: api.show(instrument="sil", article="10", paragraph=LONG), "paragraph"),
    (lambda: api.show(instrument="sil", article="10", paragraph="²"), "paragraph"),
    (lambda: api.check(category="employee", employers=10**5000, as_of="2026-06-01"), "employers"),
    (lambda: api.check(category="employee", income=10**5000, as_of="2026-06-01"), "income"),
    (lambda: api.check(category="employee", reform="9" * 300, as_of="2026-06-01"), "reform"),
    (lambda: api.cite(citation="社会保险法第" + LONG + "条"), "citation"),
], ids=["show-article", "history-article", "show-paragraph", "show-paragraph-superscript", "employers-int",
        "income-int", "reform-name-too-long", "cite-article"])
def test_a_number_too_long_to_write_is_an_input_error_naming_its_argument(call, field):
    with pytest.raises(InputError) as err:
        call()
    message = str(err.value)
    assert err.value.field == field and "\n" not in message
    assert "set_int_max_str_digits" not in message  # said in socins' words


def test_show_of_an_article_too_long_to_write_exits_2_with_one_line():
    done = run("show", "sil", LONG, "--format", "json")
    assert done.code == 2 and "Traceback" not in done.err and done.err.count("\n") == 1
    assert done.err.startswith('socins: error: article "999')
