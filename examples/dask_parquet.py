"""Answer a partitioned Parquet dataset of person rows on a Dask cluster, into a partitioned Parquet dataset.

    pip install 'socins[dask]'
    python examples/dask_parquet.py people/ answers/ [--job check|retirement] [--as-of 2026-06-01]
                                    [--workers 2] [--scheduler tcp://host:8786]

Each partition goes through ``socins_cli.api.check_arrow`` (or
``retirement_arrow``), the columnar core of ``socins check --input x.parquet
--output y.parquet``: the output has the same columns and values, ``line``
numbering the rows across the whole dataset in partition order. Without
``--scheduler`` a ``LocalCluster`` of ``--workers`` processes is started.
"""

from __future__ import annotations

import argparse


def plain_schema(schema):
    """``schema`` with dictionary columns as their values: pandas (and so Dask) keep those as plain columns."""
    import pyarrow as pa

    return pa.schema([pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
                      for f in schema])


def answer_partition(frame, job: str, as_of, offsets, partition_info=None):
    """One partition (a pandas frame of Arrow-backed columns) answered: rows in, answer columns out."""
    import pandas as pd
    import pyarrow as pa

    from socins_cli import api

    first_line = offsets[partition_info["number"]] + 1 if partition_info else 1
    rows = pa.Table.from_pandas(frame, preserve_index=False)
    answer = api.check_arrow if job == "check" else api.retirement_arrow
    table = answer(rows, as_of=as_of, first_line=first_line)
    return table.cast(plain_schema(table.schema)).to_pandas(types_mapper=pd.ArrowDtype)


def run(source: str, target: str, job: str = "check", as_of: str | None = None, client=None) -> None:
    """Read ``source``, answer every partition on ``client``'s cluster, write ``target`` (one file per partition)."""
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa

    from socins_cli import api

    people = dd.read_parquet(source, dtype_backend="pyarrow")
    sizes = people.map_partitions(len).compute()
    offsets = [sum(sizes[:i]) for i in range(len(sizes))]
    # The output's columns and types, from the answer to no rows of the input's schema.
    empty = pa.Table.from_pandas(people._meta, preserve_index=False)
    answer = api.check_arrow if job == "check" else api.retirement_arrow
    sample = answer(empty, as_of=as_of)
    meta = sample.cast(plain_schema(sample.schema)).to_pandas(types_mapper=pd.ArrowDtype)
    answers = people.map_partitions(answer_partition, job, as_of, offsets, meta=meta)
    answers.to_parquet(target, write_index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="a Parquet dataset (a folder of part files) of person rows")
    parser.add_argument("target", help="the folder to write the answers to")
    parser.add_argument("--job", choices=("check", "retirement"), default="check")
    parser.add_argument("--as-of", help="the date for rows without one (default: today)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes (without --scheduler)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    args = parser.parse_args()

    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        with Client(args.scheduler) as client:
            run(args.source, args.target, args.job, args.as_of, client)
        return
    with LocalCluster(n_workers=args.workers, threads_per_worker=1) as cluster, Client(cluster) as client:
        run(args.source, args.target, args.job, args.as_of, client)


if __name__ == "__main__":
    main()
