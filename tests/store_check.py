#!/usr/bin/python3
"""Check a result file written by tests/test_store.c with h5py, the way a
researcher would read it: every dataset and attribute of docs/file-format.md
is there with its type and shape, dimension scales are attached, time units
parse, and the per-replication data equal the formulas the C test wrote.

Usage: store_check.py FILE REPLICATIONS FULL (run with /usr/bin/python3).
"""
import datetime
import sys

import h5py
import numpy as np

# The formulas of tests/test_store.c.
NM, NI, NG, NQ = 3, 3, 2, 10


def series(r, m, t):
    return (r * 7 + m * 13 + t) % 1000


def fail(msg):
    print(f"store_check: {msg}", file=sys.stderr)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def dataset(f, path, dtype, shape):
    expect(path in f, f"missing {path}")
    ds = f[path]
    expect(isinstance(ds, h5py.Dataset), f"{path} is not a dataset")
    if dtype == "str":
        expect(h5py.check_string_dtype(ds.dtype) is not None, f"{path}: not strings ({ds.dtype})")
        expect(h5py.check_string_dtype(ds.dtype).encoding == "utf-8", f"{path}: not UTF-8")
    else:
        expect(ds.dtype == np.dtype(dtype), f"{path}: dtype {ds.dtype}, expected {dtype}")
    expect(ds.shape == shape, f"{path}: shape {ds.shape}, expected {shape}")
    return ds


def strings(ds):
    return [s.decode() if isinstance(s, bytes) else s for s in np.ravel(ds.asstr()[()])]


def scales(ds, names):
    """Dimension i of ds carries the scale names[i] (a dataset path)."""
    for i, name in enumerate(names):
        expect(len(ds.dims[i]) == 1, f"{ds.name}: dimension {i} has no scale")
        expect(ds.dims[i][0].name == name, f"{ds.name} dim {i}: {ds.dims[i][0].name} != {name}")
        expect(ds.dims[i].label == name_of_scale(ds.dims[i][0]), f"{ds.name} dim {i}: label")


def name_of_scale(sc):
    expect(h5py.h5ds.is_scale(sc.id), f"{sc.name} is not a dimension scale")
    return h5py.h5ds.get_scale_name(sc.id).decode()


def attr(obj, name, kind):
    expect(name in obj.attrs, f"{obj.name}: no attribute {name}")
    v = obj.attrs[name]
    if kind is str:
        expect(isinstance(v, str), f"{obj.name}@{name}: not a string ({type(v)})")
    else:
        expect(np.asarray(v).dtype == np.dtype(kind), f"{obj.name}@{name}: {np.asarray(v).dtype}")
    return v


def main():
    path, n, full = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
    f = h5py.File(path, "r")

    # Root and scenario.
    expect(attr(f, "ddrsim_format_version", "int32") == 1, "format version")
    attr(f, "rng_stream_version", "int32")
    attr(f, "ddrsim_version", str)
    expect(attr(f, "scenario_name", str) == "test", "scenario_name")
    expect(attr(f, "Conventions", str) == "CF-1.8", "Conventions")
    for a in ("name", "description", "file"):
        attr(f["scenario"], a, str)
    text = dataset(f, "/scenario/text", "str", ()).asstr()[()]
    expect(text.endswith("# é, UTF-8\n"), "scenario text is not verbatim UTF-8")
    dataset(f, "/scenario/resolved", "str", ())
    # The chain of extends: here a scenario without a parent, a chain of one.
    files = strings(dataset(f, "/scenario/files", "str", (1,)))
    texts = strings(dataset(f, "/scenario/texts", "str", (1,)))
    expect(files == [attr(f["scenario"], "file", str)], f"/scenario/files {files}")
    expect(texts == [text], "/scenario/texts[0] is not /scenario/text")

    # Time axis: CF units that parse, dates that agree with the days.
    days = dataset(f, "/time/days", "int32", (53,))
    units = attr(days, "units", str)
    expect(units.startswith("days since "), f"units {units}")
    start = datetime.date.fromisoformat(units[len("days since "):])
    expect(start.isoformat() == attr(f["time"], "start", str), "time start")
    expect(attr(f["time"], "end", str) == "2024-12-31", "time end")
    expect(attr(f["time"], "step_days", "int32") == 7, "step_days")
    expect(attr(days, "calendar", str) == "proleptic_gregorian", "calendar")
    attr(days, "long_name", str)
    expect(name_of_scale(days) == "time", "time scale name")
    expect(list(days[:3]) == [6, 13, 20] and days[-1] == 370, f"days {days[:3]} {days[-1]}")
    dates = strings(dataset(f, "/time/date", "str", (53,)))
    expect(all((start + datetime.timedelta(days=int(d))).isoformat() == s
               for d, s in zip(days[()], dates)), "dates disagree with days")
    scales(f["/time/date"], ["/time/days"])

    # Metrics, quantile levels, summaries.
    names = dataset(f, "/metrics/name", "str", (NM,))
    expect(name_of_scale(names) == "metric", "metric scale name")
    expect(strings(names)[0] == "integrated.count", "metric names")
    for p in ("/metrics/unit", "/metrics/doc"):
        scales(dataset(f, p, "str", (NM,)), ["/metrics/name"])
    q = dataset(f, "/quantile", "float64", (NQ,))
    expect(name_of_scale(q) == "quantile", "quantile scale name")
    expect(np.allclose(q[()], [0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 0.975]), "levels")
    mt = ["/metrics/name", "/time/days"]
    c = np.arange(NM * 53).reshape(NM, 53)
    for name, dt, want in (("mean", "float64", c + 0.25), ("sd", "float64", c / 3.0),
                           ("min", "int32", c - 5), ("max", "int32", c * 2)):
        ds = dataset(f, "/summary/" + name, dt, (NM, 53))
        scales(ds, mt)
        expect(np.array_equal(ds[()], want), f"/summary/{name} values")
    ds = dataset(f, "/summary/quantiles", "float64", (NM, 53, NQ))
    scales(ds, mt + ["/quantile"])
    expect(np.array_equal(ds[()], c[:, :, None] * 10.0 + np.arange(NQ)), "quantile values")

    # Inputs.
    names = strings(dataset(f, "/inputs/name", "str", (NI,)))
    expect(names == ["nodes.gao.rate", "nodes.gao.seats", "calendar.peace_date"], "input names")
    dataset(f, "/inputs/kind", "str", (NI,))
    dist = strings(dataset(f, "/inputs/dist", "str", (NI,)))
    expect(dist[0].startswith("uniform"), f"input dist {dist[0]}")
    expect(list(dataset(f, "/inputs/uncertain", "uint8", (NI,))[()]) == [1, 0, 1], "uncertain")
    sampled = dataset(f, "/inputs/sampled", "str", (2,))
    expect(strings(sampled) == [names[0], names[2]], "sampled names")
    expect(name_of_scale(sampled) == "input", "input scale name")
    vals = dataset(f, "/inputs/values", "float64", (n, 2))
    scales(vals, ["/replication", "/inputs/sampled"])
    r = np.arange(n)
    expect(np.array_equal(vals[()], r[:, None] + 0.25 * np.arange(2)), "input values")
    rep = dataset(f, "/replication", "uint64", (n,))
    expect(np.array_equal(rep[()], r), "replication numbers")
    expect(name_of_scale(rep) == "replication", "replication scale name")

    # Targets.
    tg = f["targets"]
    expect(strings(dataset(f, "/targets/id", "str", (NG,))) == ["half", "arms"], "target ids")
    expect(name_of_scale(tg["id"]) == "target", "target scale name")
    for name, dt in (("label", "str"), ("metric", "str"), ("threshold", "float64"),
                     ("deadline", "str"), ("deadline_days", "int32"), ("probability", "float64"),
                     ("wilson_lo", "float64"), ("wilson_hi", "float64"), ("met_count", "uint64"),
                     ("reached_count", "uint64")):
        scales(dataset(f, "/targets/" + name, dt, (NG,)), ["/targets/id"])
    expect(strings(tg["deadline"]) == [(start + datetime.timedelta(days=int(d))).isoformat()
                                      for d in tg["deadline_days"][()]], "deadlines")
    g = np.arange(NG)
    met = dataset(f, "/targets/met", "uint8", (n, NG))
    step = dataset(f, "/targets/step_reached", "int32", (n, NG))
    day = dataset(f, "/targets/day_reached", "int32", (n, NG))
    for ds in (met, step, day):
        scales(ds, ["/replication", "/targets/id"])
    expect(np.array_equal(met[()], ((r[:, None] + g) % 3 == 0).astype(np.uint8)), "met")
    want = (r[:, None] * 5 + g) % 63
    want = np.where(want < 53, want, -1)
    expect(np.array_equal(step[()], want), "step_reached")
    expect(np.array_equal(day[()], np.where(want >= 0, days[()][np.maximum(want, 0)], -1)),
           "day_reached")
    dq = dataset(f, "/targets/date_quantiles", "float64", (NG, NQ))
    scales(dq, ["/targets/id", "/quantile"])
    iso = dataset(f, "/targets/date_quantiles_iso", "str", (NG, NQ)).asstr()[()]
    for i in range(NG):
        for j in range(NQ):
            v = dq[i, j]
            w = "never" if np.isnan(v) else (start + datetime.timedelta(days=round(v))).isoformat()
            expect(iso[i, j] == w, f"date_quantiles_iso[{i},{j}] {iso[i, j]} != {w}")
    expect(np.isnan(dq[1, 8]) and not np.isnan(dq[0, 8]), "NaN quantiles")

    # Series: exactly what was written, in the promised chunks and filters.
    if full:
        ds = dataset(f, "/series/values", "int32", (n, NM, 53))
        scales(ds, ["/replication", "/metrics/name", "/time/days"])
        expect(ds.chunks == (min(256, n) if n else 256, 1, 53), f"series chunks {ds.chunks}")
        expect(ds.compression == "gzip" and ds.compression_opts == 1 and ds.shuffle,
               "series filters")
        m, t = np.arange(NM), np.arange(53)
        want = (r[:, None, None] * 7 + m[None, :, None] * 13 + t[None, None, :]) % 1000
        got = ds[()]
        if not np.array_equal(got, want):
            bad = np.argwhere(got != want)[0]
            fail(f"series differ first at {tuple(bad)}: {got[tuple(bad)]} != {want[tuple(bad)]}")
    else:
        expect("series" not in f, "summary-only file has /series")

    # Provenance; and every dataset says what it is.
    pv = f["provenance"]
    for a, kind in (("ddrsim_version", str), ("seed", "uint64"), ("replications", "uint64"),
                    ("threads", "int32"), ("host", str), ("started", str),
                    ("wall_seconds", "float64"), ("command_line", str)):
        attr(pv, a, kind)
    expect(pv.attrs["replications"] == n, "provenance replications")
    missing = []
    f.visititems(lambda name, obj: missing.append(name)
                 if isinstance(obj, h5py.Dataset) and "description" not in obj.attrs else None)
    expect(not missing, f"datasets without a description: {missing}")


if __name__ == "__main__":
    main()
