"""A batch row has columns, not options: its error record names the relation column as the row gives it, not the
command line's --relation (a platform row with no relation had read 'needs --relation labor|incomplete|civil')."""

from __future__ import annotations

import json

from cli_helpers import run


def test_a_platform_row_without_relation_names_the_column(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"category":"platform","as_of":"2026-06-01"}\n', encoding="utf-8")
    r = run("check", "--input", str(path))
    assert r.code == 2
    record = json.loads(r.out.splitlines()[0])
    assert record["error"]["field"] == "relation"
    assert record["error"]["message"] == "category platform needs relation labor|incomplete|civil"
    assert "--relation" not in r.out
