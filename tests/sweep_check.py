"""Checks of sweep files for tests/test_sweep.c.

sweep_check.py same SWEEP.h5 POINT RUN.h5   point POINT equals the run file
sweep_check.py strata SWEEP.h5 LO,HI,INT ...   each key's range split in N strata, one point each
sweep_check.py table SWEEP.h5 NPOINTS         the table at the top matches the points
"""
import math
import sys

import h5py
import numpy as np


def same(sweep, point, run):
    with h5py.File(sweep, "r") as s, h5py.File(run, "r") as r:
        g = s[f"points/{int(point):04d}"]
        for k in ("summary/mean", "summary/sd", "summary/quantiles", "targets/probability",
                  "targets/wilson_lo", "targets/date_quantiles", "targets/met",
                  "targets/step_reached", "inputs/values", "time/days"):
            if not np.array_equal(g[k][()], r[k][()], equal_nan=True):
                sys.exit(f"{k} differs")
        if g["scenario/resolved"][()] != r["scenario/resolved"][()]:
            sys.exit("scenario/resolved differs")
        if [d.label for d in g["summary/quantiles"].dims] != ["metric", "time", "quantile"]:
            sys.exit("dimension scales lost")
        if g["summary/quantiles"].dims[0][0].name != g.name + "/metrics/name":
            sys.exit("scale not in the point's group")


def table(sweep, n):
    with h5py.File(sweep, "r") as f:
        n = int(n)
        if f.attrs["ddrsim_file_kind"] != "sweep" or f.attrs["sweep_points"] != n:
            sys.exit("root attributes")
        prob = f["sweep/probability"][()]
        if prob.shape[0] != n or len(f["points"]) != n:
            sys.exit("number of points")
        for p, grp in enumerate(f["sweep/group"].asstr()[()]):
            g = f[grp]
            if not np.array_equal(g["targets/probability"][()], prob[p]):
                sys.exit(f"probability of point {p}")
            if list(g["sweep_point/value"].asstr()[()]) != list(f["sweep/value"].asstr()[p]):
                sys.exit(f"values of point {p}")


def strata(sweep, lo, hi, integer):
    """Every key k: min lo[k], max hi[k]; N points; one in each stratum."""
    with h5py.File(sweep, "r") as f:
        num = f["sweep/number"][()]
    n = num.shape[0]
    for k in range(num.shape[1]):
        top = hi[k] + (1 if integer[k] else 0)
        width = (top - lo[k]) / n
        seen = set()
        for x in sorted(num[:, k]):
            if not lo[k] <= x <= hi[k]:
                sys.exit(f"key {k}: {x} outside [{lo[k]}, {hi[k]}]")
            if integer[k]:
                if x != math.floor(x):
                    sys.exit(f"key {k}: {x} not whole")
                # x = floor(u) with u in its stratum [lo + s w, lo + (s + 1) w)
                s = [s for s in range(n) if math.floor(lo[k] + s * width) <= x < lo[k] + (s + 1) * width]
                s = [c for c in s if c not in seen][:1]
            else:
                s = [int((x - lo[k]) // width)]
            if not s or s[0] in seen:
                sys.exit(f"key {k}: two points in one stratum")
            seen.add(s[0])
        if len(seen) != n:
            sys.exit(f"key {k}: {len(seen)} strata of {n}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "same":
        same(*sys.argv[2:5])
    elif cmd == "table":
        table(*sys.argv[2:4])
    elif cmd == "strata":
        # strata SWEEP lo,hi,int lo,hi,int ...
        spec = [s.split(",") for s in sys.argv[3:]]
        strata(sys.argv[2], [float(s[0]) for s in spec], [float(s[1]) for s in spec],
               [s[2] == "1" for s in spec])
    else:
        sys.exit("unknown check " + cmd)
