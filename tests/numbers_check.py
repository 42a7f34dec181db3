"""Checks of `ddrsim compare` and `ddrsim export` against the HDF5 files,
recomputed independently with numpy (run by tests/test_numbers.c).

  numbers_check.py compare A.h5 B.h5 OUT.json [--unpaired]
  numbers_check.py export FILE.h5 DIR
  numbers_check.py summary FILE.h5 SUMMARY.csv
  numbers_check.py earlier A.h5 B.h5 TARGET   (B reaches TARGET earlier than A)

Prints "ok ..." and exits 0 when every number matches."""
import csv
import json
import math
import os
import sys

import h5py
import numpy as np

Z = 1.959963984540054  # the 97.5% normal quantile, as ddrsim uses


def wilson(k, n):
    p = k / n
    den = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / den
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_paired(x1, x2):
    """95% interval of mean(x1) - mean(x2) for paired 0/1 outcomes, Newcombe
    (1998) method 10, written from the paper's formulas."""
    x1, x2 = x1.astype(bool), x2.astype(bool)
    n = len(x1)
    a = int(np.sum(x1 & x2))
    b = int(np.sum(x1 & ~x2))
    c = int(np.sum(~x1 & x2))
    d = n - a - b - c
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson(a + b, n)
    l2, u2 = wilson(a + c, n)
    margins = [a + b, c + d, a + c, b + d]
    phi = 0.0
    if min(margins) > 0:
        A = a * d - b * c
        den = math.sqrt(np.prod([float(m) for m in margins]))
        phi = (A - n / 2) / den if A > n / 2 else (A / den if A < 0 else 0.0)
    lo = p1 - p2 - math.sqrt(max(0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    hi = p1 - p2 + math.sqrt(max(0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    return max(-1, lo), min(1, hi), (a, b, c, d)


def newcombe_unpaired(k1, n1, k2, n2):
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    return (max(-1, p1 - p2 - math.hypot(p1 - l1, u2 - p2)),
            min(1, p1 - p2 + math.hypot(u1 - p1, p2 - l2)))


def close(x, y, what, tol=1e-9):
    if x is None or y is None or (isinstance(y, float) and math.isnan(y)):
        ok = (x is None) and (y is None or math.isnan(y))
    else:
        ok = abs(x - y) <= tol * max(1.0, abs(y))
    if not ok:
        sys.exit(f"{what}: ddrsim says {x}, numpy {y}")


def start_day(f):
    return np.datetime64(f["time"].attrs["start"], "D").astype(np.int64)


def check_compare(fa, fb, out, unpaired):
    res = json.load(open(out))
    with h5py.File(fa, "r") as A, h5py.File(fb, "r") as B:
        ida = list(A["targets/id"].asstr()[()])
        idb = list(B["targets/id"].asstr()[()])
        levels = list(A["quantile"][()])
        checked = 0
        for t in res["targets"]:
            if t["id"] not in ida or t["id"] not in idb:
                assert not t["comparisons"], t
                continue
            ga, gb = ida.index(t["id"]), idb.index(t["id"])
            cmp = t["comparisons"][0]
            ma, mb = A["targets/met"][:, ga], B["targets/met"][:, gb]
            close(cmp["difference"], float(mb.mean() - ma.mean()), t["id"] + " difference")
            if unpaired:
                lo, hi = newcombe_unpaired(int(mb.sum()), len(mb), int(ma.sum()), len(ma))
            else:
                lo, hi, (a, b, c, d) = newcombe_paired(mb, ma)
                assert cmp["met"] == {"both": a, "run_only": b, "baseline_only": c, "neither": d}, cmp
                da, db = A["targets/day_reached"][:, ga], B["targets/day_reached"][:, gb]
                both = (da >= 0) & (db >= 0)
                diff = (db - da)[both].astype(float)
                close(cmp["paired_mean_difference_days"], float(diff.mean()), t["id"] + " mean days")
                close(cmp["paired_median_difference_days"], float(np.median(diff)), t["id"] + " median days")
                se = diff.std(ddof=1) / math.sqrt(len(diff))
                close(cmp["paired_mean_interval"][0], float(diff.mean() - Z * se), t["id"] + " mean lo")
                assert cmp["reached"]["both"] == int(both.sum())
                earlier = int(np.sum(((da < 0) & (db >= 0)) | (both & (db < da))))
                assert cmp["reached"]["earlier"] == earlier, (cmp["reached"], earlier)
            close(cmp["interval"][0], lo, t["id"] + " interval lo")
            close(cmp["interval"][1], hi, t["id"] + " interval hi")
            q50 = levels.index(0.5)
            pa = A["targets/date_quantiles"][ga, q50] + start_day(A)
            pb = B["targets/date_quantiles"][gb, q50] + start_day(B)
            close(cmp["p50_difference_days"], float(pb - pa), t["id"] + " P50 difference")
            checked += 1
    if checked == 0:
        sys.exit("no target compared")
    print(f"ok compare: {checked} targets")


def check_earlier(fa, fb, target):
    """B reaches the target earlier than A on average, replication by
    replication, by more than the standard error of the mean paired
    difference (over the replications where both reach it)."""
    with h5py.File(fa, "r") as A, h5py.File(fb, "r") as B:
        ga = list(A["targets/id"].asstr()[()]).index(target)
        gb = list(B["targets/id"].asstr()[()]).index(target)
        da = A["targets/day_reached"][:, ga].astype(float)
        db = B["targets/day_reached"][:, gb].astype(float)
    both = (da >= 0) & (db >= 0)
    diff = (db - da)[both]
    mean = float(diff.mean())
    se = float(diff.std(ddof=1) / math.sqrt(len(diff)))
    if not (mean < 0 and -mean > se):
        sys.exit(f"{target}: paired difference {mean:.2f} days (standard error {se:.2f}) over "
                 f"{len(diff)} replications: not earlier by more than its standard error")
    print(f"ok earlier: {target} {mean:.1f} days on average (standard error {se:.2f}, "
          f"{len(diff)} replications)")


def rows(path):
    with open(path, newline="") as fh:
        return list(csv.reader(fh))


def num(s):
    return float("nan") if s == "" else float(s)


def check_export(fn, d):
    with h5py.File(fn, "r") as f:
        start = np.datetime64(f["time"].attrs["start"], "D")
        dates = list(f["time/date"].asstr()[()])
        metrics = list(f["metrics/name"].asstr()[()])
        T = len(dates)
        # summary.csv: one row per metric and date
        r = rows(os.path.join(d, "summary.csv"))
        assert r[0][:6] == ["metric", "unit", "date", "day", "mean", "sd"], r[0]
        assert len(r) - 1 == len(metrics) * T
        body = np.array([[num(x) for x in row[4:]] for row in r[1:]])
        mean = f["summary/mean"][()].reshape(-1)
        sd = f["summary/sd"][()].reshape(-1)
        q = f["summary/quantiles"][()].reshape(len(metrics) * T, -1)
        assert np.array_equal(body[:, 0], mean) and np.array_equal(body[:, 1], sd)
        assert np.array_equal(body[:, 2:], q)
        assert [row[2] for row in r[1:T + 1]] == dates
        assert [row[0] for row in r[1::T]] == metrics
        # targets.csv
        r = rows(os.path.join(d, "targets.csv"))
        ids = list(f["targets/id"].asstr()[()])
        assert [row[0] for row in r[1:]] == ids
        for g, row in enumerate(r[1:]):
            rec = dict(zip(r[0], row))
            assert rec["label"] == f["targets/label"].asstr()[g]
            assert float(rec["probability"]) == f["targets/probability"][g]
            assert float(rec["interval_lo"]) == f["targets/wilson_lo"][g]
            assert float(rec["interval_hi"]) == f["targets/wilson_hi"][g]
            assert int(rec["met_count"]) == f["targets/met_count"][g]
            assert rec["deadline"] == f["targets/deadline"].asstr()[g]
            assert row[-10:] == list(f["targets/date_quantiles_iso"].asstr()[g]), row
        # inputs.csv
        r = rows(os.path.join(d, "inputs.csv"))
        names = list(f["inputs/sampled"].asstr()[()])
        assert r[0] == ["replication"] + names
        allnames = list(f["inputs/name"].asstr()[()])
        kinds = f["inputs/kind"].asstr()[()]
        vals = f["inputs/values"][()]
        assert len(r) - 1 == vals.shape[0]
        for c, name in enumerate(names):
            col = [row[c + 1] for row in r[1:]]
            if kinds[allnames.index(name)] == "a date":
                want = [str(np.datetime64(int(v), "D")) for v in vals[:, c]]
                assert col == want, name
            else:
                assert np.array_equal(np.array([float(x) for x in col]), vals[:, c]), name
        # outcomes.csv
        r = rows(os.path.join(d, "outcomes.csv"))
        met = f["targets/met"][()]
        day = f["targets/day_reached"][()]
        for g, tid in enumerate(ids):
            k = r[0].index(tid + ".met")
            assert [int(row[k]) for row in r[1:]] == list(met[:, g])
            got = [int(row[k + 2]) if row[k + 2] else -1 for row in r[1:]]
            assert got == list(day[:, g])
            iso = [row[k + 1] for row in r[1:]]
            want = ["never" if x < 0 else str(start + int(x)) for x in day[:, g]]
            assert iso == want
        # events.csv
        if "events" in f:
            r = rows(os.path.join(d, "events.csv"))
            kn = f["events/kind_name"].asstr()[()]
            assert len(r) - 1 == f["events/replication"].shape[0]
            assert [int(row[0]) for row in r[1:]] == list(f["events/replication"][()])
            assert [row[1] for row in r[1:]] == [kn[k] for k in f["events/kind"][()]]
            assert [int(row[5]) for row in r[1:]] == list(f["events/first_day"][()])
            assert [int(row[6]) for row in r[1:]] == list(f["events/last_day"][()])
        else:
            assert not os.path.exists(os.path.join(d, "events.csv"))
        # series/METRIC.csv
        if "series" in f:
            for m, name in enumerate(metrics):
                r = rows(os.path.join(d, "series", name + ".csv"))
                assert r[0] == ["replication"] + dates
                got = np.array([[int(x) for x in row[1:]] for row in r[1:]])
                assert np.array_equal(got, f["series/values"][:, m, :]), name
        else:
            assert not os.path.exists(os.path.join(d, "series"))
    print("ok export")


def check_summary(fn, out):
    """The stages' queue peaks of `ddrsim summary --format csv`: the largest
    median over time and its date, and the P90 then."""
    stat = {}
    for kind, name, key, value in rows(out)[1:]:
        if kind == "stage":
            stat.setdefault(name, {})[key] = value
    with h5py.File(fn, "r") as f:
        metrics = list(f["metrics/name"].asstr()[()])
        dates = list(f["time/date"].asstr()[()])
        levels = list(f["quantile"][()])
        queues = [m for m in metrics if m.endswith(".queue") and m.count(".") == 1]
        assert sorted(stat) == sorted(m.split(".")[0] for m in queues), (stat, queues)
        for m in queues:
            s = stat[m.split(".")[0]]
            q = f["summary/quantiles"][metrics.index(m)]
            med, p90 = q[:, levels.index(0.5)], q[:, levels.index(0.9)]
            t = int(np.argmax(med))
            close(float(s["peak_median_queue"]), float(med[t]), m + " peak", 1e-6)
            close(float(s["p90_at_peak"]), float(p90[t]), m + " P90 then", 1e-6)
            close(float(s["peak_p90_queue"]), float(p90.max()), m + " P90 peak", 1e-6)
            assert s["peak_date"] == (dates[t] if med[t] > 0 else ""), (m, s)
    print(f"ok summary: {len(queues)} stages")


if __name__ == "__main__":
    if sys.argv[1] == "summary":
        check_summary(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "earlier":
        check_earlier(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "compare":
        check_compare(sys.argv[2], sys.argv[3], sys.argv[4], "--unpaired" in sys.argv)
    else:
        check_export(sys.argv[2], sys.argv[3])
