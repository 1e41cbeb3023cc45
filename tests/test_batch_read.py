"""Reading batch rows: every defined outcome of ``socins_cli.batch.read`` (see its docstring)."""

from __future__ import annotations

import codecs
import io
import json

import pytest

from socins_cli.batch.read import Source, attribute_of, detect_encoding, format_of, read_rows
from socins_cli.errors import InputError


def rows_of(data: bytes, fmt: str, encoding: str = "auto"):
    reader = read_rows(Source("-", encoding, stdin=io.BytesIO(data)), fmt)
    return list(reader)


def good(rows):
    return [(line, row) for line, row in rows if isinstance(row, dict)]


def bad(rows):
    return [(line, row) for line, row in rows if isinstance(row, InputError)]


# -- JSON Lines ----------------------------------------------------------------

def test_jsonl_rows_carry_their_line_numbers_and_blank_lines_are_skipped_but_counted():
    data = b'{"category": "employee"}\n\n   \n{"category": "flexible"}\r\n'
    rows = rows_of(data, "jsonl")
    assert rows == [(1, {"category": "employee"}), (4, {"category": "flexible"})]


def test_jsonl_truncated_last_line_is_an_error_record_for_that_line():
    data = b'{"category": "employee"}\n{"category": "emp'
    rows = rows_of(data, "jsonl")
    assert good(rows) == [(1, {"category": "employee"})]
    [(line, err)] = bad(rows)
    assert line == 2 and err.field == "row" and "JSON" in err.allowed


def test_jsonl_invalid_json_in_the_middle_does_not_stop_the_rows_after_it():
    data = b'{"a": 1}\n{not json}\n{"a": 3}\n'
    rows = rows_of(data, "jsonl")
    assert [line for line, _ in rows] == [1, 2, 3]
    assert [line for line, _ in bad(rows)] == [2]


@pytest.mark.parametrize("line, kind", [(b"[1, 2]", "an array"), (b'"text"', "a string"), (b"42", "a number"),
                                        (b"null", "null")])
def test_jsonl_line_that_is_not_an_object_is_an_error_record(line, kind):
    [(n, err)] = rows_of(line + b"\n", "jsonl")
    assert n == 1 and isinstance(err, InputError) and kind in err.allowed


def test_jsonl_invalid_utf8_is_an_error_record_naming_the_encoding():
    data = b'{"category": "employee"}\n{"province": "\xff\xfe"}\n{"category": "flexible"}\n'
    rows = rows_of(data, "jsonl", "utf-8")
    assert [line for line, _ in good(rows)] == [1, 3]
    [(line, err)] = bad(rows)
    assert line == 2 and "UTF-8" in err.allowed and "\\xff" in err.value


def test_a_stray_byte_in_a_utf8_file_fails_its_own_line_not_every_chinese_row():
    """Detection weighs the evidence: a few undecodable bytes among many UTF-8 characters still mean UTF-8."""
    lines = [f'{{"person_id": "P{i}", "province": "{p}"}}'.encode() for i, p in
             enumerate(["广东省", "上海市", "内蒙古自治区", "四川"] * 10)]
    lines[1] = lines[1].replace(b"P1", b"P\xff1")
    rows = rows_of(b"\n".join(lines) + b"\n", "jsonl")
    assert len(rows) == 40
    line, err = rows[1]
    assert line == 2 and isinstance(err, InputError) and "UTF-8" in err.allowed
    assert all(isinstance(row, dict) for _, row in rows[:1] + rows[2:])
    assert [row["province"] for _, row in rows[:4:2]] == ["广东省", "内蒙古自治区"]


def test_detect_encoding_weighs_undecodable_runs_against_decoded_characters():
    utf8 = "广东省上海市内蒙古自治区".encode() * 3
    assert detect_encoding(utf8[:9] + b"\xff" + utf8[9:], complete=True) == "utf-8"
    # Too little UTF-8 to go on, and GB18030 fails on the stray byte too: UTF-8 keeps 广东, GB18030 would read 骞夸笢.
    assert detect_encoding("广东".encode() + b"\xff", complete=True) == "utf-8"
    assert detect_encoding("广东".encode("gb18030") + b"\xff", complete=True) == "gb18030"  # fewer failures there
    gbk = "广东省上海市内蒙古自治区灵活就业人员".encode("gb18030") * 50
    assert detect_encoding(gbk, complete=True) == "gb18030"


def test_jsonl_with_bom_and_gb18030():
    assert rows_of(codecs.BOM_UTF8 + '{"province": "广东"}\n'.encode(), "jsonl") == [(1, {"province": "广东"})]
    assert rows_of('{"province": "广东"}\n'.encode("gb18030"), "jsonl") == [(1, {"province": "广东"})]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\r\n"])
def test_empty_input_has_no_rows(data):
    assert rows_of(data, "jsonl") == []
    assert rows_of(data, "csv") == []


# -- CSV / TSV -----------------------------------------------------------------

def test_csv_rows_are_dicts_keyed_by_the_header_with_crlf_and_blank_lines():
    data = b"person_id,category\r\nP1,employee\r\n\r\nP2,flexible\r\n"
    assert rows_of(data, "csv") == [(2, {"person_id": "P1", "category": "employee"}),
                                   (4, {"person_id": "P2", "category": "flexible"})]


def test_csv_header_only_has_no_rows():
    reader = read_rows(Source("-", "auto", stdin=io.BytesIO(b"person_id,category\r\n")), "csv")
    assert list(reader) == []
    assert reader.columns == ["person_id", "category"]


def test_csv_wrong_column_count_is_an_error_record_and_the_next_row_is_read():
    data = b"a,category\nx,employee\ny,flexible,extra\nz\nw,resident\n"
    rows = rows_of(data, "csv")
    assert [line for line, _ in good(rows)] == [2, 5]
    errors = bad(rows)
    assert [line for line, _ in errors] == [3, 4]
    assert "3 cells" in errors[0][1].allowed and "the header has 2" in errors[0][1].allowed


def test_jsonl_an_integer_beyond_64_bits_is_refused_by_name_not_carried_as_another_number():
    """orjson reads 123456789012345678901234567890 as the float 1.2345678901234568e+29: carried on, the column would
    come out changed. The row is an error naming the column and its digits as given; its other cells stay (a real
    float among them), and an integer within 64 bits passes as it is."""
    data = (b'{"id":123456789012345678901234567890,"category":"employee"}\n'
            b'{"id":"b","category":"employee","employers":-9223372036854775809}\n'
            b'{"id":1.5,"category":"employee","meta":[1,{"a":18446744073709551616}]}\n'
            b'{"id":18446744073709551615,"category":"employee","n":-9223372036854775808}\n')
    rows = rows_of(data, "jsonl")
    (l1, e1), (l2, e2), (l3, e3) = bad(rows)
    assert (l1, e1.field, str(e1.value)) == (1, "id", "123456789012345678901234567890")
    assert "beyond 64 bits" in e1.allowed and e1.cells == {"category": "employee"}
    assert (l2, e2.field, str(e2.value)) == (2, "employers", "-9223372036854775809")
    assert (l3, e3.field, e3.cells["id"]) == (3, "meta", 1.5) and "18446744073709551616" in str(e3.value)
    assert good(rows) == [(4, {"id": 18446744073709551615, "category": "employee", "n": -9223372036854775808})]
    # written with spaces, or nested in an object with as many colons as keys: found all the same
    for line in (b'{"id": 123456789012345678901234567890, "category": "employee"}\n',
                 b'{"id":"x","meta":[{"a":123456789012345678901234567890}]}\n'):
        [(_, err)] = rows_of(line, "jsonl")
        assert isinstance(err, InputError) and "beyond 64 bits" in err.allowed, line


def test_jsonl_an_ordinary_float_is_not_read_again_for_a_big_integer(monkeypatch):
    """Only a float of 2**63 or more (or an array or object) can hide an integer beyond 64 bits: a file of incomes
    such as 8000.5 is not parsed twice."""
    from socins_cli.batch import read

    calls = []
    monkeypatch.setattr(read, "_big_integers", lambda raw, codec: calls.append(raw) or [])
    rows = rows_of(b'{"category":"flexible","income":8000.5}\n{"category":"flexible","income":1e19}\n', "jsonl")
    assert len(good(rows)) == 2 and calls == [b'{"category":"flexible","income":1e19}\n']


def test_csv_unclosed_quote_at_the_end_is_an_error_record():
    data = b'a,category\nx,employee\ny,"flexible\n'
    rows = rows_of(data, "csv")
    assert [line for line, _ in good(rows)] == [2]
    [(line, err)] = bad(rows)
    assert line == 3 and "CSV" in err.allowed


@pytest.mark.parametrize("data,good_lines,bad_lines", [
    # a quote never closed: the rows after it are rows of their own, not one error record
    (b'a,category\nx,employee\ny,"flexible\nz,resident\nw,employee\n', [2, 4, 5], [3]),
    # closed lines later, taking the rows between into a record of the wrong width (a record of the right
    # width over lines is a cell holding line breaks, which CSV allows)
    (b'a,category,sex\nx,employee,male\ny,"flexible,male\nz,resident,male\nw",employee,male\nv,resident,male\n',
     [2, 4, 5, 6], [3]),
])
def test_csv_a_quote_left_open_loses_no_row_after_it(data, good_lines, bad_lines):
    """Every input row yields one result or one error record: a stray quote is its own line's error."""
    rows = rows_of(data, "csv")
    assert [line for line, _ in good(rows)] == good_lines
    assert [line for line, _ in bad(rows)] == bad_lines
    assert "quote opened on line 3 is not closed on it" in bad(rows)[0][1].allowed


@pytest.mark.parametrize("data", [b'id,category\nA,employee\nB,"fle\xffxible\nC,resident\n',
                                  b'id\nA\n"\xff\nC\n'])
@pytest.mark.parametrize("fmt", [("--format", "jsonl"), ("--brief",), ("--fields", "line,error"), ("--format", "csv")])
def test_csv_a_quote_left_open_over_an_undecodable_byte_is_one_error_record_not_a_crash(tmp_path, fmt, data):
    """The open-quote line's error shows its start, and an undecodable byte there as ``\\xff``: an error record
    is JSON, which cannot carry the surrogate that stands in for the byte (the run had crashed, losing every row)."""
    from cli_helpers import run

    path = tmp_path / "people.csv"
    path.write_bytes(data)
    r = run("check", "--input", str(path), "--as-of", "2026-06-01", *fmt)
    assert r.code == 2 and "Traceback" not in r.err, r.err
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    lines = r.out.splitlines()[1:] if fmt[-1] == "csv" else r.out.splitlines()
    assert len(lines) == 3 and "\\xff" in lines[1] and "quote opened on line 3" in lines[1]


def test_csv_a_quote_left_open_in_an_attribute_loses_no_row_even_at_the_header_width():
    """A record of the right width over lines is CSV, but no person attribute holds a line break: a quote ran on."""
    data = b'id,category,as_of\n1,employee,"2020-01-01\n2,flexible,2020-01-01\n3,resident,2020-01-01"\n4,resident,2020-01-01\n'
    rows = rows_of(data, "csv")
    assert [line for line, _ in rows] == [2, 3, 4, 5]
    assert [line for line, _ in good(rows)] == [3, 4, 5] and bad(rows)[0][0] == 2


def test_csv_a_quote_left_open_in_an_attribute_over_an_undecodable_line_still_gives_each_line_its_record():
    """A line break in a person attribute is a quote left open: the lines after it are rows of their own, even where
    one of them holds a byte the encoding cannot read (it is that line's error, not the first line's)."""
    data = b'id,category,province\nA,flexible,"guang\nd\xffong"\nB,flexible,guangdong\n'
    rows = rows_of(data, "csv", "utf-8")
    assert [line for line, _ in rows] == [2, 3, 4]
    (_, first), (_, second) = bad(rows)
    assert "quote opened on line 2" in first.allowed and "not valid UTF-8" in second.allowed
    assert good(rows) == [(4, {"id": "B", "category": "flexible", "province": "guangdong"})]


def test_csv_quoted_cell_over_two_lines_is_one_row_numbered_by_its_first_line():
    data = b'a,category\n"two\nlines",employee\nz,resident\n'
    rows = rows_of(data, "csv")
    assert rows == [(2, {"a": "two\nlines", "category": "employee"}), (4, {"a": "z", "category": "resident"})]


def test_csv_invalid_bytes_name_the_column():
    data = b"person_id,province\nP1,guangdong\nP2,\xff\xfe\nP3,beijing\n"
    rows = rows_of(data, "csv", "utf-8")
    assert [line for line, _ in good(rows)] == [2, 4]
    [(line, err)] = bad(rows)
    assert line == 3 and err.field == "province" and "\\xff\\xfe" in err.value and "gb18030" in err.allowed
    assert err.cells == {"person_id": "P2"}  # what its error record carries: the cells that read cleanly


def test_an_undecodable_csv_row_keeps_its_carried_columns_in_every_output():
    """The contract: columns that are not person attributes are carried into the output row unchanged."""
    import json

    from cli_helpers import run

    data = b"person_id,category,province,as_of\nU1,employee,guangdong,2026-06-01\nU2,flexible,\xff\xfe,2026-06-01\n"
    import tempfile, os
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "stray.csv")
        with open(path, "wb") as fh:
            fh.write(data)
        jsonl = run("check", "--input", path, "--encoding", "utf-8", "-q")
        csv_out = run("check", "--input", path, "--encoding", "utf-8", "-q", "--format", "csv")
        fields = run("check", "--input", path, "--encoding", "utf-8", "-q", "--fields", "person_id,line")
    assert jsonl.code == csv_out.code == fields.code == 2
    record = json.loads(jsonl.out.splitlines()[1])
    assert (record["person_id"], record["line"], record["error"]["field"]) == ("U2", 3, "province")
    assert csv_out.out.splitlines()[2].startswith("U2,3,")
    assert json.loads(fields.out.splitlines()[1]) == {"person_id": "U2", "line": 3}


def test_csv_gb18030_file_is_detected_and_read():
    text = "person_id,category,province\r\nP1,职工,广东省\r\nP2,灵活就业人员,北京\r\n"
    rows = rows_of(text.encode("gb18030"), "csv")
    assert rows == [(2, {"person_id": "P1", "category": "职工", "province": "广东省"}),
                    (3, {"person_id": "P2", "category": "灵活就业人员", "province": "北京"})]


def test_csv_utf8_bom_is_dropped_from_the_first_column_name():
    rows = rows_of(codecs.BOM_UTF8 + "category,province\r\n职工,广东\r\n".encode(), "csv")
    assert rows == [(2, {"category": "职工", "province": "广东"})]


def test_tsv_is_read_with_tabs():
    assert rows_of(b"category\tprovince\nemployee\tbeijing\n", "tsv") == [(2, {"category": "employee",
                                                                               "province": "beijing"})]


def test_csv_column_named_twice_is_refused_before_any_row():
    with pytest.raises(InputError) as info:
        rows_of(b"as_of,As-Of\n2026-01-01,2026-01-01\n", "csv")
    assert info.value.field == "header"


# -- encodings and formats -------------------------------------------------------

def test_detect_encoding_documented_order():
    assert detect_encoding(codecs.BOM_UTF8 + b"abc") == "utf-8-sig"
    assert detect_encoding("广东".encode()) == "utf-8"
    assert detect_encoding("广东".encode("gb18030")) == "gb18030"
    assert detect_encoding(b"plain ascii") == "utf-8"
    # a multi-byte character cut by the end of the sniffed chunk is not evidence against UTF-8
    assert detect_encoding("广东".encode()[:-1], complete=False) == "utf-8"
    with pytest.raises(InputError):
        detect_encoding(codecs.BOM_UTF16_LE + "a".encode("utf-16-le"))


@pytest.mark.parametrize("offset", range(4))
def test_a_utf8_character_cut_by_the_sniffed_chunk_does_not_make_it_gb18030(tmp_path, offset):
    """The sniffed head ends wherever a read ends: a cut character is no evidence (a file, and a pipe)."""
    line = '{"province": "广东省"}\n'.encode()
    data = b'{"a": "' + b"x" * (65536 - 8 - offset) + b'"}\n' + line * 20000
    path = tmp_path / "rows.jsonl"
    path.write_bytes(data)
    source = Source(str(path))
    assert source.encoding == "utf-8"
    rows = list(read_rows(source, "jsonl"))
    assert len(rows) == 20001 and all(isinstance(r, dict) for _, r in rows)
    assert Source("-", stdin=io.BytesIO(data)).encoding == "utf-8"


def test_gb18030_after_a_long_ascii_prefix_is_still_detected():
    data = b"person_id,category\n" + b"P,employee\n" * 20000 + "P,职工\n".encode("gb18030")
    rows = rows_of(data, "csv")
    assert rows[-1][1] == {"person_id": "P", "category": "职工"}


def test_format_from_extension_explicit_or_sniffed():
    assert format_of("a.jsonl") == "jsonl" and format_of("a.CSV") == "csv" and format_of("a.tsv") == "tsv"
    assert format_of("a.parquet") == "parquet" and format_of("a.txt", "csv") == "csv"
    assert format_of("-", None, b'  {"a": 1}') == "jsonl"
    assert format_of("-", None, b"a\tb\n1\t2") == "tsv"
    assert format_of("-", None, b"a,b\n") == "csv"
    with pytest.raises(InputError):
        format_of("a.csv", "xml")


def test_attribute_names_match_case_and_dash_insensitively():
    assert attribute_of("As-Of") == "as_of" and attribute_of(" female_track ") == "female_track"
    assert attribute_of("person_id") is None


def test_missing_file_is_an_input_error():
    with pytest.raises(InputError) as info:
        Source("/nonexistent/rows.csv")
    assert info.value.field == "input"


def test_csv_errors_say_what_is_wrong_in_the_file_not_in_python():
    """The csv module's "do you need to open the file in universal-newline mode?" means nothing to a user."""
    rows = rows_of(b'a,category\ny,emp\rloyee\nz,"q"x\n', "csv")
    messages = [err.allowed for _, err in bad(rows)]
    assert "carriage return inside a cell" in messages[0] and "no delimiter follows" in messages[1]
    assert not any("universal-newline" in m or "expected after" in m for m in messages)


def test_one_stray_byte_before_a_little_chinese_leaves_a_utf8_file_utf8(tmp_path):
    """A Latin-1 é in the first row made the whole file GB18030: 美团 read as 缇庡洟, a pilot rider not eligible."""
    path = tmp_path / "stray.jsonl"
    path.write_bytes(b'{"person_id":"C0","note":"caf\xe9"}\n'
                     + '{"person_id":"C1","platform":"美团","province":"广东"}\n'.encode())
    rows = [row for _, row in read_rows(Source(str(path)), "jsonl")]
    assert "not valid UTF-8" in str(rows[0])
    assert rows[1] == {"person_id": "C1", "platform": "美团", "province": "广东"}


@pytest.mark.parametrize("spacing", ["", " "])
def test_jsonl_a_key_given_twice_is_an_error_record_not_its_last_value(spacing):
    """{"category":"employee","category":"flexible"} had been answered as flexible, exit 0 (CSV refuses the header)."""
    colon = f"{spacing}:{spacing}"
    line = f'{{"person_id"{colon}"A22","category"{colon}"employee","category"{colon}"flexible"}}\n'
    (_, row), = rows_of(line.encode() + b'{"person_id":"A23","note":"12:00","x":{"a":1}}\n', "jsonl")[:1]
    assert isinstance(row, InputError) and row.field == "category" and row.value == "employee"
    assert '"flexible"' in str(row) and row.cells["person_id"] == "A22"
    (_, fine), = rows_of(b'{"person_id":"A23","note":"12:00","x":{"a":1,"a":2}}\n', "jsonl")
    assert fine == {"person_id": "A23", "note": "12:00", "x": {"a": 2}}  # a colon in a value, a nested object: no error


def test_a_character_cut_by_the_sniffed_chunk_is_evidence_for_neither_encoding():
    """A stray byte, then a head ending inside 美 (E7 BE): GB18030 reads E7 BE as a pair and had won, 1 failure to 2."""
    mei = "美".encode()
    assert detect_encoding(b"caf\xe9," + b"x" * 10 + mei[:2], complete=False) == "utf-8"
    assert detect_encoding("广东".encode("gb18030") * 3 + "广".encode("gb18030")[:1], complete=False) == "gb18030"


def test_row_with_a_key_given_twice_and_a_number_beyond_64_bits_is_an_error_record_not_a_crash():
    data = (b'{"person_id":"big","x":1,"x":12345678901234567890123}\n'
            b'{"person_id":"n","y":null,"y":{"a":[1,{"b":2}]}}\n')
    (_, big), (_, nested) = rows_of(data, "jsonl")
    assert (big.field, big.value) == ("x", 1) and "12345678901234567890123" in big.allowed
    assert nested.field == "y" and str(nested).startswith('y null: given again as {"a": [1, {"b": 2}]}')


@pytest.mark.parametrize("line, shown", [(b'{"x":"1","x":1}', 'x "1": given again as 1 '),
                                         (b'{"x":1,"x":"1"}', 'x 1: given again as "1" '),
                                         (b'{"x":12345678901234567890123,"x":0}', "x 12345678901234567890123: ")])
def test_a_key_given_twice_shows_both_values_as_written_string_or_number(line, shown):
    """The string "1" and the number 1 had read alike as the first value (review 38 L6): the first was shown bare."""
    (_, row), = rows_of(line + b"\n", "jsonl")
    assert str(row).startswith(shown)


def test_a_row_nesting_deeper_than_the_writer_goes_is_an_error_record_not_a_crash():
    """orjson writes at most 254 levels: a row nested 300 deep had crashed the run, losing every row after it."""
    deep = 1
    for _ in range(300):
        deep = [deep]
    data = json.dumps({"person_id": "d", "x": deep}).encode() + b"\n" + b'{"person_id":"ok"}\n'
    (_, row), (_, fine) = rows_of(data, "jsonl")
    assert isinstance(row, InputError) and "deep" in str(row) and row.cells == {"person_id": "d"}
    assert fine == {"person_id": "ok"}


def test_the_sniffer_reads_on_past_a_character_the_chunk_cuts(tmp_path):
    """A GB18030 file whose first non-ASCII byte is the last of the first 64 KiB chunk: read on, so it is whole."""
    head = b"x" * (65536 - 1) + "中国".encode("gb18030") * 20  # 中 is D6 D0: D6 also opens a UTF-8 pair
    path = tmp_path / "cut.csv"
    path.write_bytes(head)
    assert Source(str(path)).encoding == "gb18030"
