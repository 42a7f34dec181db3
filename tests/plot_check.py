"""Checks the data files `ddrsim plot --keep-script` writes against the
result file they were drawn from, with h5py and numpy.

    plot_check.py fan RESULT.h5 DATA.dat METRIC
    plot_check.py dates RESULT.h5 DATA.dat TARGET
"""
import sys

import h5py
import numpy as np


def rows(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                out.append(line.rstrip("\n").split(","))
    return out


def fan(h5, dat, metric):
    with h5py.File(h5, "r") as f:
        names = list(f["metrics/name"].asstr()[()])
        q = f["summary/quantiles"][names.index(metric)]  # [T, 10]
        dates = list(f["time/date"].asstr()[()])
    r = rows(dat)
    assert len(r) == len(dates), (len(r), len(dates))
    for t, row in enumerate(r):
        assert row[0] == dates[t], (row[0], dates[t])
        got = np.array([float(x) for x in row[1:11]])
        assert np.allclose(got, q[t], rtol=1e-9, atol=1e-9), (t, got, q[t])
    print("fan data match the stored quantiles")


def dates(h5, dat, target):
    with h5py.File(h5, "r") as f:
        ids = list(f["targets/id"].asstr()[()])
        g = ids.index(target)
        step = f["targets/step_reached"][:, g]
        n = step.shape[0]
        tdates = list(f["time/date"].asstr()[()])
        levels = list(f["quantile"][()])
        p50 = f["targets/date_quantiles_iso"].asstr()[g, levels.index(0.5)]
    T = len(tdates)
    share = np.array([np.count_nonzero((step >= 0) & (step <= t)) / n for t in range(T)])
    r = rows(dat)
    assert r[0][2] == "0", r[0]
    r = r[1:]
    assert len(r) == T, (len(r), T)
    for t, row in enumerate(r):
        assert row[0] == tdates[t], (row[0], tdates[t])
        assert int(row[1]) == np.count_nonzero((step >= 0) & (step <= t)), (t, row)
        assert abs(float(row[2]) - share[t]) < 1e-9, (t, row, share[t])
    if p50 != "never":
        # the share at the P50 date: the last step ending on or before it
        d50 = np.datetime64(p50)
        k = max(t for t in range(T) if np.datetime64(tdates[t]) <= d50)
        step_share = share[k] - (share[k - 1] if k else 0)
        assert abs(share[k] - 0.5) <= step_share + 0.02, (p50, share[k])
        print(f"share reached at the P50 date {p50}: {share[k]:.3f}")
    print("dates data match /targets/step_reached")


if __name__ == "__main__":
    {"fan": fan, "dates": dates}[sys.argv[1]](*sys.argv[2:5])
