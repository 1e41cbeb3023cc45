"""The 2018 text of the Social Insurance Law names the decision that made it as the reference does:
《全国人民代表大会常务委员会关于修改〈中华人民共和国社会保险法〉的决定》 (2018-12-29), the law's title
inside the decision's title in single angle brackets (〈〉), word for word."""
from socins_cli import api

TITLE = "全国人民代表大会常务委员会关于修改〈中华人民共和国社会保险法〉的决定"


def test_sil_2018_amended_by_title_as_the_reference_gives_it():
    versions = {row["version"]: row for row in api.list_instruments()["instruments"] if row["instrument"] == "sil"}
    assert versions["2018"]["amended_by"] == TITLE
    assert versions["2018"]["amended"] == "2018-12-29"
    assert versions["2010"]["amended_by"] is None


def test_sil_2018_amended_by_title_appears_in_the_reference(reference):
    text = (reference / "social-insurance-law-2010-changed-articles.md").read_text(encoding="utf-8")
    assert f"《{TITLE}》" in text


def test_sil_2018_history_names_the_amending_decision():
    out = api.history(instrument="sil", article="64")
    assert out["versions"][1]["amended_by"]["title_zh"] == TITLE
