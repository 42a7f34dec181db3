#!/usr/bin/python3
"""The ddrsim pipeline model written the way a good NumPy programmer would.

Every state variable is an array over replications ([R], or [K, R] for the
departure ring buffer of a stage); the only Python loops are over time steps,
over the nodes of the graph, and over duration offsets (vectorised across
replications). It reads the scenario YAML itself and implements only what the
baseline scenario uses:

  intake    Poisson arrivals per step, capped by the remaining pool
  stage     sites (least_full routing with every site taking everyone is, in
            aggregate, one pooled capacity = sum of the site capacities) or
            unlimited; per-person durations on the step grid by conditional
            binomials over offsets into a departure ring buffer; duration_scale;
            attrition of waiting people (binomial); weapons (binomial)
  split     probabilities per branch, one of them `rest`
  training  centres with seats, courses_at_once, course_weeks, min_cohort;
            dropout then fail binomials at the end of a course
  sink      cumulative counts
  initial   counts in a queue or a sink;  targets  (metric >= x by a date)

Groups are not tracked: intake draws from the pooled remaining members, which
leaves the law of every aggregate metric unchanged.

Usage: peer_numpy.py SCENARIO [-n N] [--seed S] [--json OUT]
"""
import argparse
import datetime as dt
import json
import math
import sys
import time

import numpy as np
import yaml

Z90 = 1.2815515655446004


class Unsupported(Exception):
    pass


# ------------------------------------------------------------ distributions

def sample(spec, rng, R):
    """R draws of an uncertain value (a number or a {dist: ...} mapping)."""
    if not isinstance(spec, dict):
        return np.full(R, float(spec))
    d = spec["dist"]
    if d == "constant":
        return np.full(R, float(spec["value"]))
    if d == "uniform":
        return rng.uniform(spec["min"], spec["max"], R)
    if d == "triangular":
        return rng.triangular(spec["min"], spec["mode"], spec["max"], R)
    if d == "pert":
        lo, mode, hi = spec["min"], spec["mode"], spec["max"]
        lam = spec.get("lambda", 4)
        a = 1 + lam * (mode - lo) / (hi - lo)
        b = 1 + lam * (hi - mode) / (hi - lo)
        return lo + (hi - lo) * rng.beta(a, b, R)
    if d == "lognormal":
        mu, sigma = lognormal_params(spec)
        return rng.lognormal(mu, sigma, R)
    if d == "beta":
        lo, hi = spec.get("min", 0.0), spec.get("max", 1.0)
        return lo + (hi - lo) * rng.beta(spec["alpha"], spec["beta"], R)
    raise Unsupported(f"distribution {d!r}")


def upper_bound(spec):
    if not isinstance(spec, dict):
        return float(spec)
    d = spec["dist"]
    if d == "constant":
        return float(spec["value"])
    if d in ("uniform", "triangular", "pert"):
        return float(spec["max"])
    if d == "beta":
        return float(spec.get("max", 1.0))
    raise Unsupported(f"unbounded duration_scale {d!r}")


def count(x, positive=False):
    """Counts are rounded to the nearest integer, halves away from zero (C round)."""
    n = np.floor(x + 0.5).astype(np.int64)
    return np.maximum(n, 1) if positive else n


def lognormal_params(spec):
    if "median" in spec:
        mu = math.log(spec["median"])
        return mu, (math.log(spec["p90"]) - mu) / Z90
    return float(spec["mu"]), float(spec["sigma"])


def erfc(x):
    """Vectorised erfc, relative error < 1.2e-7 (Numerical Recipes' erfcc)."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    r = t * np.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (
        0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (
            1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    return np.where(x >= 0, r, 2.0 - r)


def duration_cdf(spec, days):
    """cdf of a duration distribution at `days` (any shape)."""
    days = np.asarray(days, dtype=float)
    d = spec["dist"] if isinstance(spec, dict) else "constant"
    if d == "lognormal":
        mu, sigma = lognormal_params(spec)
        with np.errstate(divide="ignore"):
            z = (np.log(days) - mu) / sigma
        return np.where(days > 0, 0.5 * erfc(-z / math.sqrt(2.0)), 0.0)
    if d == "uniform":
        return np.clip((days - spec["min"]) / (spec["max"] - spec["min"]), 0.0, 1.0)
    if d == "constant":
        v = float(spec["value"] if isinstance(spec, dict) else spec)
        return (days >= v).astype(float)
    if d == "triangular":
        a, c, b = spec["min"], spec["mode"], spec["max"]
        x = np.clip(days, a, b)
        lo = (x - a) ** 2 / ((b - a) * (c - a)) if c > a else np.zeros_like(x)
        hi = 1 - (b - x) ** 2 / ((b - a) * (b - c)) if b > c else np.ones_like(x)
        return np.where(x <= c, lo, hi)
    raise Unsupported(f"duration distribution {d!r}")


# ------------------------------------------------------------------ model

class Peer:
    def __init__(self, scn, R, seed):
        self.R = R
        self.rng = rng = np.random.default_rng(seed)
        cal = scn["calendar"]
        self.start = to_date(cal["start"])
        end = to_date(cal["end"])
        self.step_days = {"week": 7, "day": 1}[cal.get("step", "week")]
        self.T = (end - self.start).days // self.step_days + 1
        sd = self.step_days

        self.pool = sum(count(sample(g["size"], rng, R)) for g in scn["groups"])
        self.nodes = {n["id"]: dict(n) for n in scn["nodes"]}
        for n in self.nodes.values():
            typ = n["type"]
            if typ == "intake":
                if "groups" in n:
                    raise Unsupported("intake.groups")
                n["mu"] = sample(n["rate_per_week"], rng, R) * sd / 7.0
            elif typ == "stage":
                self.init_stage(n)
            elif typ == "split":
                # a multinomial as a chain of binomials: each branch's
                # probability among those not sent down an earlier branch
                br, left, rest = [], np.ones(R), None
                for tgt, p in n["branches"].items():
                    if p == "rest":
                        rest = tgt
                        continue
                    p = sample(p, rng, R)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        br.append((tgt, np.where(left > 0, np.clip(p / left, 0, 1), 0.0)))
                    left = left - p
                n["br"], n["rest"] = br, rest
                n["inbox"] = np.zeros(R, np.int64)
            elif typ == "training":
                self.init_training(n)
            elif typ == "sink":
                n["count"] = np.zeros(R, np.int64)
            else:
                raise Unsupported(f"node type {typ!r}")
        for it in scn.get("initial", []):
            n = self.nodes[it["node"]]
            c = count(sample(it["count"], rng, R))
            if n["type"] == "sink":
                n["count"] += c
            elif it.get("where", "queue") == "queue":
                n["queue"] += c
            else:
                raise Unsupported("initial in_service")
        self.order = topo_order(self.nodes)
        self.targets = []
        for tg in scn.get("targets", []):
            step = (to_date(tg["by"]) - self.start).days // sd
            self.targets.append((tg["id"], tg["metric"], float(tg["at_least"]), step))

    def init_stage(self, n):
        R, rng, sd = self.R, self.rng, self.step_days
        unknown = set(n) - {"id", "type", "label", "sites", "routing", "duration_days",
                            "duration_scale", "attrition_per_week", "attrition_to",
                            "weapons_per_person", "to"}
        if unknown or n.get("routing", "least_full") != "least_full" or \
                any("groups" in s for s in n.get("sites", [])):
            raise Unsupported(f"stage keys {unknown or 'routing'}")
        n["queue"] = np.zeros(R, np.int64)
        n["occ"] = np.zeros(R, np.int64)
        n["cap"] = (sum(count(sample(s["capacity"], rng, R)) for s in n["sites"])
                    if "sites" in n else None)
        dur = n["duration_days"]
        sc_spec = n.get("duration_scale", 1.0)
        hi = upper_bound(sc_spec)
        # steps a stay can last at the largest scale: cut at the 1 - 1e-6 point
        K = next(k for k in range(1, 100001) if duration_cdf(dur, k * sd / hi) >= 1 - 1e-6)
        n["K"] = K
        # cum[k] = P(floor(D * scale / step_days) <= k), and 1 at k = K - 1
        kk = np.arange(1, K, dtype=float)[:, None] * sd
        if isinstance(sc_spec, dict) and sc_spec.get("dist") != "constant":
            scale = sample(sc_spec, rng, R)
            cum = np.ones((K, R))
            cum[:-1] = duration_cdf(dur, kk / scale[None, :])
        else:
            scale = float(upper_bound(sc_spec))
            cum = np.ones(K)
            cum[:-1] = duration_cdf(dur, kk[:, 0] / scale)
        cum = np.maximum.accumulate(cum, axis=0)
        # conditional probability of offset k given offset >= k (1 at the cut)
        below = np.concatenate([np.zeros_like(cum[:1]), cum[:-1]])
        with np.errstate(divide="ignore", invalid="ignore"):
            haz = np.where(cum >= 1.0, 1.0, (cum - below) / (1.0 - below))
        n["haz"] = np.clip(haz, 0.0, 1.0)
        n["dep"] = np.zeros((K, R), np.int64)  # ring buffer: leave at the end of step t + k
        n["p_attr"] = sample(n["attrition_per_week"], rng, R) if "attrition_per_week" in n \
            else None
        if n["p_attr"] is not None and sd != 7:
            n["p_attr"] = 1 - (1 - n["p_attr"]) ** (sd / 7.0)
        n["p_weap"] = sample(n["weapons_per_person"], rng, R) if "weapons_per_person" in n \
            else None
        n["weapons"] = np.zeros(R, np.int64)
        n["completed"] = np.zeros(R, np.int64)
        n["lost"] = np.zeros(R, np.int64)

    def init_training(self, n):
        R, rng, sd = self.R, self.rng, self.step_days
        if len(n["centres"]) != 1:
            raise Unsupported("more than one training centre")
        ce = n["centres"][0]
        if "intake_dates" in ce:
            raise Unsupported("intake_dates")
        n["queue"] = np.zeros(R, np.int64)
        n["seats"] = count(sample(ce["seats"], rng, R), positive=True)
        at_once = ce.get("courses_at_once", 1)
        if isinstance(at_once, dict):
            raise Unsupported("uncertain courses_at_once")
        n["slots"] = int(at_once)
        n["len"] = np.maximum(count(sample(ce["course_weeks"], rng, R) * 7.0 / sd), 1)
        n["min_cohort"] = max(int(ce.get("min_cohort", 1)), 1)
        n["end"] = np.full((n["slots"], R), -1, np.int64)
        n["n"] = np.zeros((n["slots"], R), np.int64)
        n["p_drop"] = sample(n.get("dropout", 0), rng, R)
        n["p_fail"] = sample(n.get("fail", 0), rng, R)
        p = sample(n["attrition_per_week"], rng, R) if "attrition_per_week" in n else None
        if p is not None and sd != 7:
            p = 1 - (1 - p) ** (sd / 7.0)
        n["p_attr"] = p
        n["passed"] = np.zeros(R, np.int64)

    # ---------------------------------------------------------------- steps

    def push(self, target, x):
        n = self.nodes[target]
        typ = n["type"]
        if typ in ("stage", "training"):
            n["queue"] += x
        elif typ == "split":
            n["inbox"] += x
        elif typ == "sink":
            n["count"] += x

    def enter_service(self, n, t, c):
        """Spread c[r] entrants over exit offsets by conditional binomials;
        returns those with offset 0 (leaving within this step)."""
        K, haz, dep, rng = n["K"], n["haz"], n["dep"], self.rng
        leave0 = np.zeros(self.R, np.int64)
        idx = np.flatnonzero(c)  # replications with people still to place
        rest = c[idx]
        per_rep = haz.ndim == 2
        for k in range(K):
            if idx.size == 0:
                break
            x = rng.binomial(rest, haz[k, idx] if per_rep else haz[k])
            rest = rest - x
            if k == 0:
                leave0[idx] = x
            else:
                dep[(t + k) % K, idx] += x
            live = rest > 0
            if not live.all():
                idx, rest = idx[live], rest[live]
        return leave0

    def step_intake(self, n, t):
        x = np.minimum(self.rng.poisson(n["mu"]), self.pool)
        self.pool = self.pool - x
        self.push(n["to"], x)

    def step_stage(self, n, t):
        rng = self.rng
        slot = t % n["K"]
        leave = n["dep"][slot].copy()
        n["dep"][slot] = 0
        n["occ"] -= leave
        if n["p_attr"] is not None:
            lost = rng.binomial(n["queue"], n["p_attr"])
            n["queue"] -= lost
            n["lost"] += lost
            self.push(n["attrition_to"], lost)
        q = n["queue"]
        k = q.copy() if n["cap"] is None else np.minimum(np.maximum(n["cap"] - n["occ"], 0), q)
        n["queue"] = q - k
        l0 = self.enter_service(n, t, k)
        n["occ"] += k - l0
        leave += l0
        n["completed"] += leave
        if n["p_weap"] is not None:
            n["weapons"] += rng.binomial(leave, n["p_weap"])
        self.push(n["to"], leave)

    def step_split(self, n, t):
        x = n["inbox"]
        for tgt, p in n["br"]:
            y = self.rng.binomial(x, p)
            self.push(tgt, y)
            x = x - y
        self.push(n["rest"], x)
        n["inbox"] = np.zeros(self.R, np.int64)

    def step_training(self, n, t):
        rng = self.rng
        for s in range(n["slots"]):
            ending = n["end"][s] == t
            if not ending.any():
                continue
            m = np.where(ending, n["n"][s], 0)
            d = rng.binomial(m, n["p_drop"])
            f = rng.binomial(m - d, n["p_fail"])
            p = m - d - f
            n["passed"] += p
            self.push(n["dropout_to"], d) if "dropout_to" in n else None
            self.push(n["fail_to"], f) if "fail_to" in n else None
            self.push(n["to"], p)
            n["end"][s][ending] = -1
            n["n"][s][ending] = 0
        if n["p_attr"] is not None:
            lost = rng.binomial(n["queue"], n["p_attr"])
            n["queue"] -= lost
            self.push(n["attrition_to"], lost)
        for s in range(n["slots"]):
            start = (n["end"][s] < 0) & (n["queue"] >= n["min_cohort"])
            if not start.any():
                continue
            take = np.where(start, np.minimum(n["queue"], n["seats"]), 0)
            n["queue"] -= take
            n["n"][s] += take
            n["end"][s] = np.where(start, t + n["len"], n["end"][s])

    def metric(self, name):
        node, _, measure = name.partition(".")
        n = self.nodes[node]
        key = {"count": "count", "weapons": "weapons", "completed": "completed",
               "lost": "lost", "passed": "passed", "queue": "queue",
               "occupancy": "occ"}.get(measure)
        if key is None or key not in n:
            raise Unsupported(f"metric {name!r}")
        return n[key].copy()

    def run(self, record):
        steps = {"intake": self.step_intake, "stage": self.step_stage,
                 "split": self.step_split, "training": self.step_training}
        met = {tid: None for tid, *_ in self.targets}
        for t in range(self.T):
            for nid in self.order:
                n = self.nodes[nid]
                f = steps.get(n["type"])
                if f:
                    f(n, t)
            for tid, m, x, step in self.targets:
                if step == t or (step >= self.T and t == self.T - 1):
                    met[tid] = self.metric(m) >= x
        return {m: self.metric(m) for m in record}, met


def topo_order(nodes):
    succ = {i: set() for i in nodes}
    for i, n in nodes.items():
        for key in ("to", "fail_to", "dropout_to", "attrition_to"):
            if key in n:
                succ[i].add(n[key])
        if n["type"] == "split":
            succ[i].update(n["branches"])
    indeg = {i: 0 for i in nodes}
    for i in nodes:
        for j in succ[i]:
            indeg[j] += 1
    ready = [i for i in nodes if indeg[i] == 0]
    order = []
    while ready:
        i = ready.pop(0)
        order.append(i)
        for j in [j for j in nodes if j in succ[i]]:  # file order among ties
            indeg[j] -= 1
            if indeg[j] == 0:
                ready.append(j)
    return order


def to_date(x):
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--metrics", default="integrated.count,reintegrated.count,"
                    "dropped_out.count,cantonment.weapons")
    ap.add_argument("--json", help="write results here")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    with open(a.scenario) as f:
        scn = yaml.safe_load(f)
    try:
        peer = Peer(scn, a.n, a.seed)
        t1 = time.perf_counter()
        vals, met = peer.run(a.metrics.split(","))
    except Unsupported as e:
        print(f"peer_numpy.py: {a.scenario}: not supported by the peer: {e}", file=sys.stderr)
        return 3
    t2 = time.perf_counter()
    out = {
        "replications": a.n,
        "seconds_total": t2 - t0,
        "seconds_setup": t1 - t0,
        "seconds_steps": t2 - t1,
        "metrics": {m: {"mean": float(v.mean()), "sd": float(v.std(ddof=1))}
                    for m, v in vals.items()},
        "targets": {tid: float(v.mean()) for tid, v in met.items()},
    }
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    else:
        json.dump(out, sys.stdout, indent=1)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
