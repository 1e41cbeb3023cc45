"""The Python API refuses what the command line refuses: empty text for any argument (the CLI's ``--sex ""`` is
exit 2) and a platform that is not a name (a JSON list had been echoed as Python's ``['x']``)."""

from __future__ import annotations

import pytest

from socins_cli import api
from socins_cli.errors import InputError


@pytest.mark.parametrize("function,kwargs,field", [
    (api.compare, dict(category=["employee", "flexible"], sex=""), "sex"),
    (api.compare, dict(category=["employee", "flexible"], province=" "), "province"),
    (api.compare, dict(category=["employee", ""]), "category"),
    (api.show, dict(instrument="sil", article="10", version=""), "version"),
    (api.search, dict(query="缴纳", instrument=""), "instrument"),
    (api.search, dict(query=""), "query"),
    (api.inequities, dict(as_of=""), "as_of"),
    (api.timeline, dict(start="2020-01-01", end="2026-01-01", category="employee", birth=""), "birth"),
])
def test_empty_text_is_bad_input_named_by_its_argument(function, kwargs, field):
    with pytest.raises(InputError) as err:
        function(**kwargs)
    assert err.value.field == field and "is empty" in str(err.value)


@pytest.mark.parametrize("value", [["x"], {"a": 1}, True, 1.5])
def test_a_platform_that_is_not_a_name_is_bad_input(value):
    with pytest.raises(InputError) as err:
        api.check(category="platform", relation="incomplete", platform=value)
    assert err.value.field == "platform" and "name" in str(err.value)


def test_a_platform_name_is_still_taken_as_given():
    assert api.check(category="platform", relation="labor", platform="美团")["person"]["platform"] == "美团"


@pytest.mark.parametrize("function,kwargs,flag", [
    (api.check, dict(category="employee", explain="no"), "explain"),
    (api.search, dict(query="缴纳", all_versions=1), "all_versions"),
    (api.reforms, dict(effect="yes"), "effect"),
])
def test_a_flag_is_true_or_false_not_any_value(function, kwargs, flag):
    """explain="no" had turned the trace on: any truthy value was taken as True."""
    with pytest.raises(InputError) as err:
        function(**kwargs)
    assert err.value.field == flag and "True or False" in str(err.value)


@pytest.mark.parametrize("categories", [["flexible", "灵活就业人员"], ["employee", "职工", "flexible"],
                                        ["platform:civil", "platform:civil"]])
def test_compare_refuses_a_category_given_twice(categories):
    """灵活就业人员 beside flexible had been compared with itself, a column identical to the one beside it."""
    with pytest.raises(InputError) as err:
        api.compare(category=categories)
    assert err.value.field == "category" and "give each once" in str(err.value)
