"""The law cache serves only law it built itself from exactly the files on disk.

Planted, damaged, truncated or stale files are misses (the law is built
afresh and the answer is the same as with no cache); nothing in a cache
file can run; folder and file are private whatever the umask; concurrent
builders leave one whole file.
"""

from __future__ import annotations

import datetime as _dt
import os
import pickle
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from msgspec.structs import replace

from cli_helpers import REPO, run
from socins_cli.law import law_cache
from socins_cli.law import load as load_module
from socins_cli.law.load import _encode, _key_parts, build_law, load_law, read_corpus

SHOW = ("show", "sil", "10", "--format", "json")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SOCINS_CACHE_DIR", str(folder))
    monkeypatch.delenv("SOCINS_NO_CACHE", raising=False)
    monkeypatch.delenv("SOCINS_STATUTES", raising=False)
    return folder


def _cache_file(root: Path = REPO / "statutes") -> Path:
    return law_cache.cache_file(str(root.resolve()))


def _plant_altered_law(path: Path) -> None:
    """A cache file with the right key and checksum whose law says something else: only trust of the file stops it."""
    root = REPO / "statutes"
    key = law_cache.content_key(_key_parts(read_corpus(root)))
    law = build_law(root)
    sil = law.instruments["sil"]
    forged = tuple(replace(v, articles=tuple(replace(a, paragraphs=("第十条 PLANTED",)) for a in v.articles))
                   for v in sil.versions)
    law.instruments["sil"] = replace(sil, versions=forged)
    law_cache.write(path, key, _encode(law))


def test_a_cached_law_equals_the_law_built_afresh(cache):
    built = load_law(use_cache=False)
    load_law()
    assert _cache_file().is_file()
    cached = load_law()
    assert (cached.instruments, cached.parameters, cached.data, cached.files, cached.change_dates) == (
        built.instruments, built.parameters, built.data, built.files, built.change_dates)
    assert cached.data_temporal is not None  # told by the cache where the dates sit, not walking to find them
    shared = [a for inst in map(cached.instrument, cached.instruments) for old, new in zip(inst.versions, inst.versions[1:])
              for a in new.articles if any(a is b for b in old.articles)]
    assert len(shared) > 100  # an article a version keeps unchanged is decoded once, for both
    assert cached.dates_in_data("findings/") == built.dates_in_data("findings/") == _walked_dates(built.data)


def test_a_cached_law_gives_each_versions_days_without_decoding_the_instrument(cache):
    """The index stored beside the instruments says when each version was adopted, took effect and ended, as the
    instrument itself does; reading it decodes no instrument (an eligibility check then decodes only those it
    resolves citations in)."""
    load_law()
    cached, built = load_law(), load_law(use_cache=False)
    assert isinstance(cached.instruments, load_module.LazyInstruments)
    days = {inst_id: cached.version_dates(inst_id) for inst_id in cached.instruments}
    assert all(type(row) is memoryview for row in cached.instruments._items.values())  # none decoded yet
    assert days == {inst_id: tuple((v.adopted, v.effective, v.repealed) for v in inst.versions)
                    for inst_id, inst in built.instruments.items()}
    assert days["sil"][0][1] == _dt.date(2011, 7, 1)
    assert cached.version_dates("no-such-instrument") == built.version_dates("no-such-instrument") == ()


def _walked_dates(data: dict) -> set:
    """Every date (not a datetime) in the data files other than the findings, found by walking them."""
    found = set()

    def walk(value):
        if type(value) is _dt.date:
            found.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for name, raw in data.items():
        if not name.startswith("findings/"):
            walk(raw)
    assert found  # the rules and tables do date their rows
    return found


def test_a_damaged_or_truncated_cache_answers_as_no_cache(cache):
    clean = run(*SHOW, env={"SOCINS_NO_CACHE": "1"})
    assert clean.code == 0 and "第十条" in clean.out
    assert run(*SHOW).out == clean.out
    path = _cache_file()
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0x01  # one flipped bit, deep inside the law
    path.write_bytes(bytes(blob))
    assert run(*SHOW).out == clean.out
    path.write_bytes(path.read_bytes()[: len(blob) // 3])
    assert run(*SHOW).out == clean.out
    assert path.read_bytes()[:len(law_cache.MAGIC)] == law_cache.MAGIC  # and it was rebuilt


def test_a_cache_file_holds_data_that_never_runs(cache, tmp_path):
    """A pickle that would create a file, planted where the cache lives, is never executed."""
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    load_law()
    path = _cache_file()
    path.write_bytes(pickle.dumps(Payload()))
    result = run(*SHOW)
    assert result.code == 0 and "第十条" in result.out
    assert not marker.exists()


def test_a_forged_cache_in_a_folder_others_can_write_is_not_served(cache):
    cache.mkdir(mode=0o700)
    _plant_altered_law(_cache_file())
    assert "PLANTED" in run(*SHOW).out  # the forgery is well made: only trust can refuse it
    os.chmod(cache, 0o777)
    result = run(*SHOW)
    assert result.code == 0 and "PLANTED" not in result.out and "第十条" in result.out


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="planting a file as another user needs root")
def test_a_forged_cache_file_owned_by_another_user_is_not_served(cache):
    cache.mkdir(mode=0o700)
    path = _cache_file()
    _plant_altered_law(path)
    os.chown(path, 65534, 65534)
    result = run(*SHOW)
    assert result.code == 0 and "PLANTED" not in result.out and "第十条" in result.out
    assert path.stat().st_uid == os.getuid()  # replaced by a cache of our own


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="planting a folder as another user needs root")
def test_a_cache_folder_owned_by_another_user_is_neither_read_nor_written(cache):
    cache.mkdir(mode=0o755)
    _plant_altered_law(_cache_file())
    for p in (cache, *cache.iterdir()):
        os.chown(p, 65534, 65534)
    result = run(*SHOW)
    assert result.code == 0 and "PLANTED" not in result.out
    assert all(p.stat().st_uid == 65534 for p in cache.iterdir())


def test_an_edit_that_keeps_size_and_mtime_is_followed(cache, tmp_path):
    """A same-size edit of a rate, with the mtime put back, still changes the answer."""
    root = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", root)
    env = {"SOCINS_STATUTES": str(root)}
    params = root / "parameters" / "contributions.toml"
    before = run("inequities", "--as-of", "2026-06-01", "--format", "json", env=env)
    assert before.code == 0
    text = params.read_text(encoding="utf-8")
    assert "from = 2006-01-01, value = 0.20" in text  # the flexible workers' rate (pension-2005:3:1)
    st = params.stat()
    edited = text.replace("from = 2006-01-01, value = 0.20", "from = 2006-01-01, value = 0.90")
    params.write_text(edited, encoding="utf-8")
    os.utime(params, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert params.stat().st_size == st.st_size and params.stat().st_mtime_ns == st.st_mtime_ns
    after = run("inequities", "--as-of", "2026-06-01", "--format", "json", env=env)
    assert after.code == 0 and after.out != before.out
    assert '"ratio": 2.5,' in before.out and '"ratio": 11.25,' in after.out  # flexible 20% -> 90% against 8%
    assert after.out == run("inequities", "--as-of", "2026-06-01", "--format", "json",
                            env={**env, "SOCINS_NO_CACHE": "1"}).out


def test_folder_0700_and_file_0600_whatever_the_umask(cache):
    old = os.umask(0)
    try:
        load_law()
    finally:
        os.umask(old)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(_cache_file().stat().st_mode) == 0o600


def test_a_loose_folder_of_our_own_is_tightened(cache):
    cache.mkdir(mode=0o700)
    os.chmod(cache, 0o777)
    load_law()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_a_shared_folder_others_can_write_keeps_its_mode_and_gets_no_cache(cache):
    """SOCINS_CACHE_DIR=/tmp once turned /tmp (as root, its owner) into a 0700 folder nobody else could use."""
    cache.mkdir(mode=0o700)
    os.chmod(cache, 0o1777)
    (cache / "someone-elses-file").write_text("kept")
    result = run(*SHOW)
    assert result.code == 0 and "第十条" in result.out
    assert stat.S_IMODE(cache.stat().st_mode) == 0o1777
    assert sorted(p.name for p in cache.iterdir()) == ["someone-elses-file"]


def test_concurrent_builders_leave_one_whole_cache(cache):
    procs = [subprocess.Popen([sys.executable, "-m", "socins_cli", *SHOW], cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert len({o for o, _ in outs}) == 1
    assert [p.name for p in cache.iterdir()] == [_cache_file().name]  # no temporary file left behind
    key = law_cache.content_key(_key_parts(read_corpus(REPO / "statutes")))
    assert law_cache.read(_cache_file(), key) is not None


def test_different_statutes_folders_do_not_share_a_cache(cache, tmp_path):
    root = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", root)
    load_law()
    load_law(root)
    assert _cache_file() != _cache_file(root)
    assert _cache_file().is_file() and _cache_file(root).is_file()


@pytest.mark.parametrize("env, expected", [
    ({"SOCINS_CACHE_DIR": "/x/cache"}, "/x/cache"),
    ({"XDG_CACHE_HOME": "/x/xdg", "HOME": "/home/u"}, "/x/xdg/socins"),
    ({"XDG_CACHE_HOME": "relative/xdg", "HOME": "/home/u"}, "/home/u/.cache/socins"),
    ({"HOME": "/home/u"}, "/home/u/.cache/socins"),
    ({"HOME": ""}, None),
    ({}, None),
    ({"HOME": "relative"}, None),
    ({"SOCINS_NO_CACHE": "1", "HOME": "/home/u"}, None),
])
def test_where_the_cache_lives_follows_xdg(monkeypatch, env, expected):
    for name in ("SOCINS_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "SOCINS_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = law_cache.cache_dir()
    assert (None if found is None else str(found)) == expected


def test_no_home_answers_without_a_cache(tmp_path):
    result = run(*SHOW, env={"HOME": "", "SOCINS_CACHE_DIR": "", "XDG_CACHE_HOME": ""})
    assert result.code == 0 and "第十条" in result.out and result.err == ""


def _settled_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the statutes whose files count as settled 50 ms after they were written."""
    monkeypatch.setattr(law_cache, "SETTLED_NS", 50_000_000)
    root = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", root)
    time.sleep(0.1)
    return root


def test_a_stamped_cache_is_served_without_reading_the_files(cache, tmp_path, monkeypatch):
    root = _settled_copy(tmp_path, monkeypatch)
    built = load_law(root)
    entry = law_cache.read_entry(_cache_file(root))
    assert entry is not None and entry[1] != law_cache.NO_STAMP

    def unread(paths):
        raise AssertionError("the stamp should have vouched for the files")

    monkeypatch.setattr(load_module, "read_files", unread)
    cached = load_law(root)
    assert cached.instruments == built.instruments and cached.data == built.data


def test_an_edit_after_the_stamp_that_keeps_size_and_mtime_is_followed(cache, tmp_path, monkeypatch):
    """The stamp holds ctime, which a write sets and utime cannot put back (pension-2005:3:1, the 20% rate)."""
    root = _settled_copy(tmp_path, monkeypatch)
    assert load_law(root).value("pension_contribution_rate_flexible", _dt.date(2026, 6, 1)) == 0.20
    assert law_cache.read_entry(_cache_file(root))[1] != law_cache.NO_STAMP
    params = root / "parameters" / "contributions.toml"
    st = params.stat()
    text = params.read_text(encoding="utf-8")
    params.write_text(text.replace("from = 2006-01-01, value = 0.20", "from = 2006-01-01, value = 0.90"), encoding="utf-8")
    os.utime(params, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert params.stat().st_size == st.st_size and params.stat().st_mtime_ns == st.st_mtime_ns
    time.sleep(0.1)  # settled again: only the ctime in the stamp tells the edit
    assert load_law(root).value("pension_contribution_rate_flexible", _dt.date(2026, 6, 1)) == 0.90


def test_files_changed_within_the_settling_time_get_no_stamp(tmp_path):
    fresh = tmp_path / "fresh.toml"
    fresh.write_text("x = 1\n")
    assert law_cache.stamp([("fresh.toml", fresh)], b"salt") == law_cache.NO_STAMP
    assert law_cache.stamp([("gone.toml", tmp_path / "gone.toml")], b"salt") == law_cache.NO_STAMP
