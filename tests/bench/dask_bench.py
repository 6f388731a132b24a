"""`make bench`, Dask part: the same generated order lines (tests/python/order_lines.py) screened by
`chipcheck batch --brief --input-format csv`, by chipcheck.screen_frame in this process, and by
chipcheck.dask.screen on a distributed.LocalCluster of 2 worker processes (the cluster's start is not
counted; the rules load on each worker's first partition is). Figures, never a test.

    usage: dask_bench.py CLI [LINES]
"""
import json
import logging
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from order_lines import order_lines, write_csv  # noqa: E402

DATE = "2025-05-02"


def main(argv):
    cli, n = argv[1], int(argv[2]) if len(argv) > 2 else 200000
    try:
        import dask.dataframe as dd
        import distributed
        import pandas as pd
    except ImportError as e:
        print("dask benchmark skipped: %s (make deps installs python3-pandas and python3-distributed)" % e)
        return 0
    import chipcheck
    import chipcheck.dask

    cols = order_lines(n)
    df = pd.DataFrame(cols)
    with tempfile.TemporaryDirectory(prefix="chipcheck-dask-bench-") as tmp:
        path = os.path.join(tmp, "lines.csv")
        write_csv(cols, path)
        t = time.perf_counter()
        subprocess.run([cli, "batch", "--brief", "--input-format", "csv", "--date", DATE, path],
                       stdout=subprocess.DEVNULL, check=False)
        batch = n / (time.perf_counter() - t)

        part = df.iloc[: n // 4]
        t = time.perf_counter()
        chipcheck.screen_frame(part, date=DATE)
        frame = len(part) / (time.perf_counter() - t)

        t = time.perf_counter()
        with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                      dashboard_address=None, silence_logs=logging.ERROR,
                                      local_directory=os.path.join(tmp, "dask")) as cluster, \
                distributed.Client(cluster):
            start = time.perf_counter() - t
            ddf = dd.from_pandas(df, npartitions=8)
            t = time.perf_counter()
            out = chipcheck.dask.screen(ddf, date=DATE).compute()
            dask_rate = n / (time.perf_counter() - t)
    assert len(out) == n
    print("chipcheck %s, Dask: %d generated order lines (CSV for batch, a DataFrame of 8 partitions for Dask)"
          % (chipcheck.version(), n))
    print("  batch --brief --input-format csv   %10.0f lines/s" % batch)
    print("  screen_frame, this process         %10.0f rows/s   (%d rows)" % (frame, len(part)))
    print("  dask.screen, 2 worker processes    %10.0f rows/s   (LocalCluster start %.1f s, not counted)"
          % (dask_rate, start))
    print(json.dumps({"dask_lines": n, "dask_batch_brief_csv_lines_per_s": round(batch),
                      "screen_frame_rows_per_s": round(frame), "dask_2_workers_rows_per_s": round(dask_rate),
                      "dask_cluster_start_s": round(start, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
