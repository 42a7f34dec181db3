#!/usr/bin/python3
"""Checks a ddrsim result file written with --store full: the stored summary
quantiles, means and standard deviations must be numpy's, computed on the
full series of every replication (Hyndman-Fan type 7, numpy's default)."""
import sys

import h5py
import numpy as np


def main(path):
    with h5py.File(path, "r") as f:
        series = f["/series/values"][...]          # [replication, metric, time]
        levels = f["/quantile"][...]
        q = f["/summary/quantiles"][...]           # [metric, time, quantile]
        mean = f["/summary/mean"][...]
        sd = f["/summary/sd"][...]
        n = series.shape[0]
        assert n == f["/replication"].shape[0], "replication axis"
        want = np.quantile(series.astype(np.float64), levels, axis=0)  # [quantile, metric, time]
        want = np.moveaxis(want, 0, -1)
        if not np.array_equal(want, q):
            bad = np.argwhere(want != q)[0]
            print("quantile mismatch at", bad, want[tuple(bad)], q[tuple(bad)])
            return 1
        if not np.allclose(series.mean(axis=0), mean, rtol=1e-12, atol=1e-9):
            print("mean mismatch")
            return 1
        if not np.allclose(series.std(axis=0, ddof=1), sd, rtol=1e-9, atol=1e-9):
            print("sd mismatch")
            return 1
        met = f["/targets/met"][...]
        prob = f["/targets/probability"][...]
        if not np.allclose(met.mean(axis=0), prob, rtol=0, atol=1e-12):
            print("target probability mismatch")
            return 1
    print("quantiles match numpy on %d replications" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
