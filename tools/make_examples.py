"""Write the batch examples under examples/: the files the README's batch commands read.

    python tools/make_examples.py

The rows come from the benchmark's generator (``benchmarks/batch.py``,
fixed seed, so the files are the same on every run) without its deliberately
bad rows: examples should answer, not fail. Four forms of the same people:
UTF-8 CSV, a GB18030 CSV as Chinese spreadsheets save it, JSON Lines and
Parquet (needs pyarrow, the ``arrow`` extra).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROWS = 300
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def main() -> int:
    import orjson

    from batch import COLUMNS, make_rows  # benchmarks/batch.py

    rows = [r for i, r in enumerate(make_rows(ROWS + ROWS // 50)) if i % 100 != 37][:ROWS]
    for r in rows:  # a woman in a labour relation with a platform is in employment: her track decides her age
        if r["sex"] == "female" and r.get("relation") == "labor" and not r.get("female_track"):
            r["female_track"] = "worker"
    folder = REPO / "examples"
    folder.mkdir(exist_ok=True)
    for name, encoding in (("people.csv", "utf-8"), ("people-gb18030.csv", "gb18030")):
        with open(folder / name, "w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            writer.writerows([r.get(c, "") for c in COLUMNS] for r in rows)
    (folder / "people.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({c: [r.get(c) or None for r in rows] for c in COLUMNS}), folder / "census.parquet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
