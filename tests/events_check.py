#!/usr/bin/python3
"""Check the events of a result file written by tests/test_engine.c, the way
a researcher would read them with h5py: /events holds the kinds and a table
of exactly the events the model reported (the file EXPECTED, written by the
C test), with the documented types, chunks, scales and days; /summary counts
them by kind.

Usage: events_check.py FILE EXPECTED (run with /usr/bin/python3); EXPECTED
"-" means the file must have no events at all.
"""
import sys

import h5py
import numpy as np

COLUMNS = (("replication", "uint64"), ("kind", "uint32"), ("first_step", "int32"),
           ("last_step", "int32"), ("first_day", "int32"), ("last_day", "int32"))


def fail(msg):
    print(f"events_check: {msg}", file=sys.stderr)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def strings(ds):
    expect(h5py.check_string_dtype(ds.dtype) is not None, f"{ds.name}: not strings")
    expect(h5py.check_string_dtype(ds.dtype).encoding == "utf-8", f"{ds.name}: not UTF-8")
    return list(ds.asstr()[()])


def read_expected(path):
    """Kinds, then rows (replication, kind, first, last) in file order."""
    with open(path) as fp:
        nkinds = int(fp.readline())
        rows = []
        for line in fp:
            rep, *events = line.split()
            for e in events:
                kind, first, last = map(int, e.split(":"))
                rows.append((int(rep), kind, first, last))
    return nkinds, np.array(rows, dtype=np.int64).reshape(-1, 4)


def main():
    path, exp = sys.argv[1], sys.argv[2]
    f = h5py.File(path, "r")
    if exp == "-":
        expect("events" not in f, "a run without event kinds has /events")
        for name in ("event_count", "event_replications"):
            expect(name not in f["summary"], f"a run without event kinds has /summary/{name}")
        return
    nkinds, rows = read_expected(exp)
    g = f["events"]

    # The kinds: names are the dimension scale event_kind, labels beside them.
    names = g["kind_name"]
    expect(names.shape == (nkinds,), f"kind_name shape {names.shape}")
    expect(h5py.h5ds.is_scale(names.id), "kind_name is not a dimension scale")
    expect(h5py.h5ds.get_scale_name(names.id).decode() == "event_kind", "scale name")
    expect(strings(names) == [f"shocks.kind-{k}" for k in range(nkinds)], "kind names")
    labels = g["kind_label"]
    want = ["" if k == 1 else f'Shock of kind {k}, "quoted"' for k in range(nkinds)]
    expect(strings(labels) == want, f"kind labels {strings(labels)}")
    expect(labels.dims[0][0].name == "/events/kind_name", "kind_label scale")
    expect(labels.dims[0].label == "event_kind", "kind_label dimension label")

    # The table: one column per field, extendible and chunked.
    n = len(rows)
    for name, dtype in COLUMNS:
        ds = g[name]
        expect(ds.dtype == np.dtype(dtype), f"{name}: dtype {ds.dtype}, expected {dtype}")
        expect(ds.shape == (n,), f"{name}: shape {ds.shape}, expected ({n},)")
        expect(ds.maxshape == (None,), f"{name}: maxshape {ds.maxshape}")
        expect(ds.chunks == (8192,), f"{name}: chunks {ds.chunks}")
    rep, kind = g["replication"][()], g["kind"][()]
    first, last = g["first_step"][()], g["last_step"][()]
    expect(np.array_equal(np.stack([rep, kind, first, last], axis=1), rows),
           "the table differs from the events the model reported")
    expect(np.all(np.diff(rep.astype(np.int64)) >= 0), "not in replication order")
    same = np.diff(rep.astype(np.int64)) == 0
    expect(np.all(np.diff(first)[same] >= 0), "not in the order the events began")
    expect(np.all(rep < f["replication"].shape[0]), "replication beyond the run")

    # Days since the start: the first day of the first step, the last day of
    # the last, as /time/days gives last days of steps.
    sd = int(f["time"].attrs["step_days"])
    days, nt = f["time/days"][()], f["time/days"].shape[0]
    fd, ld = g["first_day"][()], g["last_day"][()]
    expect(np.array_equal(fd, first * sd), "first_day")
    expect(np.array_equal(ld, (last.astype(np.int64) + 1) * sd - 1), "last_day")
    inside = (last >= 0) & (last < nt)
    expect(np.array_equal(ld[inside], days[last[inside]]), "last_day against /time/days")
    inside = first >= 0
    expect(np.array_equal(fd[inside], days[first[inside]] - sd + 1), "first_day against /time/days")
    expect(np.all(first < nt), "an event beginning after the horizon")

    # Per-kind counts over all replications.
    count, reps = f["summary/event_count"], f["summary/event_replications"]
    for ds in (count, reps):
        expect(ds.dtype == np.dtype("uint64") and ds.shape == (nkinds,), f"{ds.name} type")
        expect(ds.dims[0][0].name == "/events/kind_name", f"{ds.name} scale")
    expect(np.array_equal(count[()], np.bincount(kind, minlength=nkinds)), "event_count")
    distinct = {(r, k) for r, k in zip(rep.tolist(), kind.tolist())}
    want = np.bincount([k for _, k in distinct], minlength=nkinds) if distinct else np.zeros(nkinds)
    expect(np.array_equal(reps[()], want), "event_replications")

    # Every dataset says what it holds.
    missing = [name for name in g if "description" not in g[name].attrs]
    missing += [n for n in ("event_count", "event_replications")
                if "description" not in f["summary"][n].attrs]
    expect(not missing, f"datasets without a description: {missing}")


if __name__ == "__main__":
    main()
