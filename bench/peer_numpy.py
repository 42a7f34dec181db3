#!/usr/bin/python3
"""The ddrsim pipeline model written the way a good NumPy programmer would.

It computes the same outputs as ddrsim: every metric the scenario defines
(`ddrsim validate --metrics`), by group and by site, at every step (mean, sd,
min and max over the replications; no quantiles), and the target
probabilities. Every state variable is an array over replications ([R], or
[G, R] by group, [S, R] by site, [arrival step, G, R] for the buckets of a
queue); the only Python loops are over time steps, the nodes of the graph,
duration offsets, and small fixed dimensions (groups, sites, course slots),
each vectorised across replications. It reads the scenario YAML itself and
implements only what the baseline scenario uses:

  groups    the scenario's groups, plus `unattributed` when an `initial` entry
            has no group (as ddrsim does, scenarios/README.md)
  intake    Poisson arrivals per step, capped by the remaining pools; their
            groups drawn from the pools (multivariate hypergeometric)
  queues    first come first served by arrival step; within a step the groups
            taken are drawn at random (multivariate hypergeometric); waiting
            people leave (attrition) independently, a binomial per cell
  stage     sites with least_full routing (each place to the site with the
            lowest share occupied/capacity, first listed among ties, one at a
            time: computed as a water level) or unlimited; per-person
            durations on the step grid by conditional binomials over offsets,
            per site, and the groups of those leaving at each offset drawn
            from the entrants' groups; departure books per site and per group;
            duration_scale; weapons (binomial)
  split     probabilities per branch, one of them `rest` (the last)
  training  one centre with seats, courses_at_once, course_weeks, min_cohort;
            dropout then fail binomials by group at the end of a course
  sink      cumulative counts by group
  initial   counts in a queue or a sink;  targets  (metric >= x by a date)

Exits at or after the end of the horizon are never booked (they cannot be
observed). Utilisations are lround(100 * used / capacity), as in ddrsim.

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


# ------------------------------------------------------------ vectorised draws

def mvhg(rng, n, colors):
    """Multivariate hypergeometric: n[m] people drawn without replacement from
    colors[G, m] (G groups, m replications); sequential hypergeometric draws
    over the groups, each vectorised over the replications. Returns [G, m]."""
    G = colors.shape[0]
    out = np.zeros_like(colors)
    n = n.copy()
    rest = colors.sum(0)
    for g in range(G - 1):
        good = colors[g]
        rest = rest - good
        if not good.any():
            continue
        x = rng.hypergeometric(good, rest, n)
        out[g] = x
        n -= x
    out[G - 1] = n
    return out


def least_full(occ, cap, k):
    """ddrsim's least_full routing (models/pipeline_step.c, fill_least_full),
    vectorised over replications: each of k[r] places goes, one at a time, to
    the site with the lowest share occupied/capacity (the first listed among
    equal shares; full sites are dropped). occ [S, R] int, cap [S, R] float,
    k <= free places. Returns give [S, R].

    One at a time, the places taken are the k smallest keys (share, site) of
    the sites' increasing sequences occ/cap, (occ+1)/cap, ... So: find the
    water level lam where sum_s max(lam cap_s - occ_s, 0) = k, take every key
    with a share <= lam (a few too many, at most one per site), then give back
    the largest keys (the last listed among equals) until k are left. Shares
    are computed as ddrsim does, used * (1.0 / cap), so ties break the same."""
    S, R = occ.shape
    is_open = occ < cap
    inv = 1.0 / cap
    share = np.where(is_open, occ * inv, np.inf)
    order = np.argsort(share, axis=0, kind="stable")
    sh = np.take_along_axis(share, order, 0)
    csum = np.take_along_axis(np.where(is_open, cap, 0.0), order, 0).cumsum(0)
    osum = np.take_along_axis(np.where(is_open, occ, 0), order, 0).cumsum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = (k + osum) / csum
    nxt = np.concatenate([sh[1:], np.full((1, R), np.inf)])
    first = np.argmax(lam <= nxt, axis=0)
    lam = lam[first, np.arange(R)]
    lam = np.minimum(np.where(np.isfinite(lam), lam, 0.0), 1.0) + 1e-9  # k = 0 where not finite
    free = np.where(is_open, cap - occ, 0.0)
    give = np.clip(np.floor(lam * cap - occ) + 1, 0, free).astype(np.int64)
    give[:, k == 0] = 0
    excess = give.sum(0) - k
    rows = np.flatnonzero(excess > 0)
    while rows.size:
        g = give[:, rows]
        key = np.where(g > 0, (occ[:, rows] + g - 1) * inv[:, rows], -np.inf)
        s = S - 1 - np.argmax(key[::-1], axis=0)  # largest, last listed among equals
        give[s, rows] -= 1
        excess[rows] -= 1
        rows = rows[excess[rows] > 0]
    return give


def percent(used, cap):
    """lround(100 * used / cap), 0 if cap <= 0 (ddrsim's percent())."""
    with np.errstate(divide="ignore", invalid="ignore"):
        x = 100.0 * used / cap
    x = np.where(cap > 0, x, 0.0)
    r = np.floor(x)
    return (r + (x - r >= 0.5)).astype(np.int64)


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

        initial = scn.get("initial", [])
        self.gids = [g["id"] for g in scn["groups"]]
        self.n_real = len(self.gids)
        if any("group" not in it for it in initial):
            self.gids.append("unattributed")  # people of the start state with no group
        self.G = G = len(self.gids)
        self.pools = np.zeros((G, R), np.int64)
        for i, g in enumerate(scn["groups"]):
            self.pools[i] = count(sample(g["size"], rng, R))
        self.nodes = {n["id"]: dict(n) for n in scn["nodes"]}
        for n in self.nodes.values():
            typ = n["type"]
            n["arrived"] = np.zeros(R, np.int64)
            n["byg"] = np.zeros((G, R), np.int64)  # completed / passed / count by group
            if typ == "intake":
                if "groups" in n:
                    raise Unsupported("intake.groups")
                n["mu"] = sample(n["rate_per_week"], rng, R) * sd / 7.0
            elif typ == "stage":
                self.init_queue(n)
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
                if rest is None:
                    raise Unsupported("split without a rest branch")
                n["br"], n["rest"] = br, rest
                n["branch_ids"] = [t for t, _ in br] + [rest] if list(n["branches"])[-1] == rest \
                    else None
                if n["branch_ids"] is None:
                    raise Unsupported("split whose rest branch is not the last")
                n["to_count"] = {b: np.zeros(R, np.int64) for b in n["branch_ids"]}
                n["inbox"] = np.zeros((G, R), np.int64)
            elif typ == "training":
                self.init_queue(n)
                self.init_training(n)
            elif typ != "sink":
                raise Unsupported(f"node type {typ!r}")
        for it in initial:
            n = self.nodes[it["node"]]
            g = self.gids.index(it.get("group", "unattributed"))
            c = count(sample(it["count"], rng, R))
            if n["type"] == "sink":
                n["byg"][g] += c
            elif n["type"] in ("stage", "training") and it.get("where", "queue") == "queue":
                n["Q"][0, g] += c  # not counted as arrivals
                n["queued"] += c
            else:
                raise Unsupported("initial in_service or at a split")
        self.order = topo_order(self.nodes)
        self.names = self.metric_names()
        self.targets = []
        for tg in scn.get("targets", []):
            step = (to_date(tg["by"]) - self.start).days // sd
            self.targets.append((tg["id"], self.names.index(tg["metric"]),
                                 float(tg["at_least"]), step))

    def init_queue(self, n):
        # first come first served: buckets [arrival step, group, replication]
        n["Q"] = np.zeros((self.T, self.G, self.R), np.int64)
        n["queued"] = np.zeros(self.R, np.int64)
        n["head"] = 0  # no bucket before this one holds anybody (in any replication)
        n["lost"] = np.zeros(self.R, np.int64)

    def init_stage(self, n):
        R, rng, sd, T, G = self.R, self.rng, self.step_days, self.T, self.G
        unknown = set(n) - {"id", "type", "label", "sites", "routing", "duration_days",
                            "duration_scale", "attrition_per_week", "attrition_to",
                            "weapons_per_person", "to", "arrived", "byg", "Q", "queued",
                            "head", "lost"}
        if unknown or n.get("routing", "least_full") != "least_full" or \
                any(set(s) - {"id", "capacity"} for s in n.get("sites", [])):
            raise Unsupported(f"stage keys {unknown or 'routing or site keys'}")
        if "sites" in n:
            n["site_ids"] = [s["id"] for s in n["sites"]]
            n["cap"] = np.stack([count(sample(s["capacity"], rng, R)) for s in n["sites"]])
            n["capf"] = n["cap"].astype(float)
        else:
            n["site_ids"], n["cap"] = [], None
        S = max(len(n["site_ids"]), 1)
        n["occ"] = np.zeros((S, R), np.int64)
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
        # departures by exit step (absolute: an exit at or after the end of the
        # horizon is never needed), per site and per group
        n["dep_s"] = np.zeros((T, S, R), np.int32)
        n["dep_g"] = np.zeros((T, G, R), np.int32)
        n["p_attr"] = sample(n["attrition_per_week"], rng, R) if "attrition_per_week" in n \
            else None
        if n["p_attr"] is not None and sd != 7:
            n["p_attr"] = 1 - (1 - n["p_attr"]) ** (sd / 7.0)
        n["p_weap"] = sample(n["weapons_per_person"], rng, R) if "weapons_per_person" in n \
            else None
        n["weapons"] = np.zeros(R, np.int64)

    def init_training(self, n):
        R, rng, sd, G = self.R, self.rng, self.step_days, self.G
        if len(n["centres"]) != 1:
            raise Unsupported("more than one training centre")
        ce = n["centres"][0]
        if "intake_dates" in ce:
            raise Unsupported("intake_dates")
        n["centre_id"] = ce["id"]
        n["seats"] = count(sample(ce["seats"], rng, R), positive=True)
        at_once = ce.get("courses_at_once", 1)
        if isinstance(at_once, dict):
            raise Unsupported("uncertain courses_at_once")
        n["slots"] = int(at_once)
        n["len"] = np.maximum(count(sample(ce["course_weeks"], rng, R) * 7.0 / sd), 1)
        n["min_cohort"] = max(int(ce.get("min_cohort", 1)), 1)
        n["end"] = np.full((n["slots"], R), -1, np.int64)
        n["n"] = np.zeros((n["slots"], G, R), np.int64)  # trainees of each course, by group
        n["in"] = np.zeros(R, np.int64)
        n["courses"] = np.zeros(R, np.int64)
        n["failed"] = np.zeros(R, np.int64)
        n["dropped"] = np.zeros(R, np.int64)
        n["p_drop"] = sample(n.get("dropout", 0), rng, R)
        n["p_fail"] = sample(n.get("fail", 0), rng, R)
        p = sample(n["attrition_per_week"], rng, R) if "attrition_per_week" in n else None
        if p is not None and sd != 7:
            p = 1 - (1 - p) ** (sd / 7.0)
        n["p_attr"] = p

    # -------------------------------------------------------------- queues

    def q_take(self, n, t, k):
        """Take k[r] people, oldest arrival steps first; within a step the
        groups are drawn at random (multivariate hypergeometric). [G, R]."""
        out = np.zeros((self.G, self.R), np.int64)
        rows = np.flatnonzero(k)
        if not rows.size:
            return out
        Q, h = n["Q"], n["head"]
        every = rows.size == self.R
        B = Q[h:t + 1] if every else Q[h:t + 1][:, :, rows]  # a view, or a copy
        kk = k if every else k[rows]
        tot = B.sum(1)
        cum = tot.cumsum(0)
        whole = (cum <= kk)[:, None, :]  # buckets taken whole (the empty ones too)
        o = np.where(whole, B, 0).sum(0)
        B *= ~whole
        prev = cum - tot
        b, r = np.nonzero((prev < kk) & (cum > kk))  # the bucket taken in part
        if b.size:
            cells = B[b, :, r].T  # [G, m]
            took = mvhg(self.rng, kk[r] - prev[b, r], cells)
            B[b, :, r] = (cells - took).T
            o[:, r] += took
        if every:
            out = o
        else:
            Q[h:t + 1, :, rows] = B
            out[:, rows] = o
        n["queued"] -= k
        while h < t and not Q[h].any():
            h += 1
        n["head"] = h
        return out

    def q_take_all(self, n, t):
        B = n["Q"][n["head"]:t + 1]
        out = B.sum(0)
        B[:] = 0
        n["queued"][:] = 0
        n["head"] = t
        return out

    def q_lose(self, n, t, p):
        """Each waiting person leaves with probability p[r]: a binomial per
        (bucket, group) cell, which is ddrsim's binomial total spread by
        hypergeometric draws, in law. Returns the lost by group [G, R]."""
        G, R = self.G, self.R
        B = n["Q"][n["head"]:t + 1]
        flat = B.reshape(-1)
        idx = np.flatnonzero(flat)
        x = self.rng.binomial(flat[idx], p[idx % R])
        flat[idx] -= x
        lost = np.bincount(idx % (G * R), weights=x, minlength=G * R).astype(np.int64)
        lost = lost.reshape(G, R)
        n["queued"] -= lost.sum(0)
        return lost

    # ---------------------------------------------------------------- steps

    def push(self, target, x, t):
        """x[G, R] people of each group to node `target` within step t."""
        n = self.nodes[target]
        typ = n["type"]
        tot = x.sum(0)
        if typ in ("stage", "training"):
            n["arrived"] += tot
            n["Q"][t] += x
            n["queued"] += tot
        elif typ == "split":
            n["arrived"] += tot
            n["inbox"] += x
        elif typ == "sink":
            n["byg"] += x

    def enter_service(self, n, t, give, took, leave):
        """give[s, r] people enter site s, took[g, r] of group g; draw their
        exit offsets by conditional binomials over offsets per site (booked in
        dep_s), and the groups of those leaving at each offset from the groups
        not yet booked (multivariate hypergeometric; booked in dep_g). Who
        goes to which site and who leaves when are independent of the group,
        so this is the law of ddrsim's per-site, per-group split. Those with
        offset 0 leave within this step (added to leave[G, R]); offsets at or
        beyond the end of the horizon are never booked."""
        R, rng = self.R, self.rng
        haz, per_rep = n["haz"], n["haz"].ndim == 2
        occ = n["occ"]
        occ += give
        occ_f = occ.reshape(-1)
        cells = np.flatnonzero(give)  # (site, replication) cells with entrants
        rest = give.reshape(-1)[cells]
        rr = cells % R
        ga = [g for g in range(self.G) if took[g].any()]  # groups present
        if not ga:
            return
        rem = took[ga]
        for k in range(min(n["K"], self.T - t)):
            if cells.size == 0:
                break
            x = rng.binomial(rest, haz[k, rr] if per_rep else haz[k])
            rest -= x
            nx = np.bincount(rr, weights=x, minlength=R)
            rows = np.flatnonzero(nx)
            if rows.size:
                y = mvhg(rng, nx[rows].astype(np.int64), rem[:, rows])
                rem[:, rows] -= y
                if k == 0:
                    occ_f[cells] -= x
                    leave[np.ix_(ga, rows)] += y
                else:
                    n["dep_s"][t + k].reshape(-1)[cells] += x
                    n["dep_g"][t + k][np.ix_(ga, rows)] += y
            live = rest > 0
            if not live.all():
                cells, rest, rr = cells[live], rest[live], rr[live]

    def step_intake(self, n, t):
        avail = self.pools[:self.n_real]
        total = avail.sum(0)
        x = np.minimum(self.rng.poisson(n["mu"]), total)
        if not x.any():
            return
        # who presents is a random draw from those still to come
        took = np.zeros((self.G, self.R), np.int64)
        took[:self.n_real] = mvhg(self.rng, x, avail)
        self.pools -= took
        n["arrived"] += x
        n["byg"] += took
        self.push(n["to"], took, t)

    def step_stage(self, n, t):
        rng = self.rng
        leave = n["dep_g"][t].astype(np.int64)  # those whose time is up
        n["occ"] -= n["dep_s"][t]
        if n["cap"] is None:
            took = self.q_take_all(n, t)
            give = took.sum(0)[None, :]
        else:
            free = np.maximum(n["cap"] - n["occ"], 0).sum(0)
            k = np.minimum(free, n["queued"])
            give = least_full(n["occ"], n["capf"], k)
            took = self.q_take(n, t, k)
        self.enter_service(n, t, give, took, leave)
        if n["p_attr"] is not None:  # those still waiting after admissions
            lost = self.q_lose(n, t, n["p_attr"])
            n["lost"] += lost.sum(0)
            self.push(n["attrition_to"], lost, t)
        n["byg"] += leave
        if n["p_weap"] is not None:
            n["weapons"] += rng.binomial(leave.sum(0), n["p_weap"])
        self.push(n["to"], leave, t)

    def step_split(self, n, t):
        x = n["inbox"]
        for tgt, p in n["br"]:
            y = self.rng.binomial(x, p)
            n["to_count"][tgt] += y.sum(0)
            self.push(tgt, y, t)
            x = x - y
        n["to_count"][n["rest"]] += x.sum(0)
        self.push(n["rest"], x, t)
        n["inbox"] = np.zeros_like(x)

    def step_training(self, n, t):
        rng = self.rng
        for s in range(n["slots"]):  # courses ending now
            ending = n["end"][s] == t
            if not ending.any():
                continue
            m = np.where(ending, n["n"][s], 0)  # [G, R]
            d = rng.binomial(m, n["p_drop"])
            f = rng.binomial(m - d, n["p_fail"])
            p = m - d - f
            n["byg"] += p
            n["dropped"] += d.sum(0)
            n["failed"] += f.sum(0)
            n["in"] -= m.sum(0)
            n["courses"] -= ending.astype(np.int64)
            if "dropout_to" in n:
                self.push(n["dropout_to"], d, t)
            if "fail_to" in n:
                self.push(n["fail_to"], f, t)
            self.push(n["to"], p, t)
            n["end"][s][ending] = -1
            n["n"][s][:, ending] = 0
        for s in range(n["slots"]):  # courses starting now
            start = (n["end"][s] < 0) & (n["queued"] >= n["min_cohort"])
            if not start.any():
                continue
            take = np.where(start, np.minimum(n["queued"], n["seats"]), 0)
            n["n"][s] += self.q_take(n, t, take)
            n["in"] += take
            n["courses"] += start.astype(np.int64)
            n["end"][s] = np.where(start, t + n["len"], n["end"][s])
        if n["p_attr"] is not None:  # those still waiting after courses started
            lost = self.q_lose(n, t, n["p_attr"])
            n["lost"] += lost.sum(0)
            self.push(n["attrition_to"], lost, t)

    # --------------------------------------------------------- observations

    def metric_names(self):
        """ddrsim's metrics, in its order (ddrsim validate --metrics)."""
        names = []

        def by_group(base):
            names.append(base)
            if self.G > 1:
                names.extend(f"{base}.{g}" for g in self.gids)
        for i, n in self.nodes.items():
            typ = n["type"]
            if typ == "intake":
                by_group(f"{i}.arrived")
                names.append(f"{i}.remaining")
            elif typ == "stage":
                names += [f"{i}.arrived", f"{i}.queue", f"{i}.occupancy"]
                by_group(f"{i}.completed")
                if n["p_attr"] is not None:
                    names.append(f"{i}.lost")
                if n["p_weap"] is not None:
                    names.append(f"{i}.weapons")
                for s in n["site_ids"]:
                    names += [f"{i}.sites.{s}.occupancy", f"{i}.sites.{s}.utilisation"]
            elif typ == "training":
                names += [f"{i}.arrived", f"{i}.queue", f"{i}.in_training", f"{i}.courses"]
                by_group(f"{i}.passed")
                names += [f"{i}.failed", f"{i}.dropped"]
                if n["p_attr"] is not None:
                    names.append(f"{i}.lost")
                c = f"{i}.centres.{n['centre_id']}"
                names += [f"{c}.in_training", f"{c}.courses", f"{c}.utilisation"]
            elif typ == "split":
                names.append(f"{i}.arrived")
                names += [f"{i}.to.{b}" for b in n["branch_ids"]]
            elif typ == "sink":
                by_group(f"{i}.count")
        return names

    def observe(self):
        """Every metric, [M, R], in the order of metric_names()."""
        obs = []

        def by_group(byg):
            obs.append(byg.sum(0))
            if self.G > 1:
                obs.extend(byg)
        for i, n in self.nodes.items():
            typ = n["type"]
            if typ == "intake":
                obs.append(n["arrived"])
                if self.G > 1:
                    obs.extend(n["byg"])
                obs.append(self.pools[:self.n_real].sum(0))
            elif typ == "stage":
                obs += [n["arrived"], n["queued"], n["occ"].sum(0)]
                by_group(n["byg"])
                if n["p_attr"] is not None:
                    obs.append(n["lost"])
                if n["p_weap"] is not None:
                    obs.append(n["weapons"])
                if n["site_ids"]:
                    pct = percent(n["occ"], n["capf"])
                    for s in range(len(n["site_ids"])):
                        obs += [n["occ"][s], pct[s]]
            elif typ == "training":
                obs += [n["arrived"], n["queued"], n["in"], n["courses"]]
                by_group(n["byg"])
                obs += [n["failed"], n["dropped"]]
                if n["p_attr"] is not None:
                    obs.append(n["lost"])
                obs += [n["in"], n["courses"], percent(n["in"], n["seats"] * float(n["slots"]))]
            elif typ == "split":
                obs.append(n["arrived"])
                obs += [n["to_count"][b] for b in n["branch_ids"]]
            elif typ == "sink":
                by_group(n["byg"])
        return np.stack(obs)

    def run(self):
        """Mean, sd, min and max of every metric at every step, and whether
        each target is met."""
        steps = {"intake": self.step_intake, "stage": self.step_stage,
                 "split": self.step_split, "training": self.step_training}
        M, T = len(self.names), self.T
        stats = {k: np.zeros((M, T)) for k in ("mean", "sd", "min", "max")}
        met = {tid: None for tid, *_ in self.targets}
        for t in range(T):
            for nid in self.order:
                n = self.nodes[nid]
                f = steps.get(n["type"])
                if f:
                    f(n, t)
            obs = self.observe()
            stats["mean"][:, t] = obs.mean(1)
            stats["sd"][:, t] = obs.std(1, ddof=1) if self.R > 1 else 0.0
            stats["min"][:, t] = obs.min(1)
            stats["max"][:, t] = obs.max(1)
            for tid, m, x, step in self.targets:
                if step == t or (step >= T and t == T - 1):
                    met[tid] = obs[m] >= x
        return stats, met


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
    ap.add_argument("--json", help="write results here")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    with open(a.scenario) as f:
        scn = yaml.safe_load(f)
    try:
        peer = Peer(scn, a.n, a.seed)
        t1 = time.perf_counter()
        stats, met = peer.run()
    except Unsupported as e:
        print(f"peer_numpy.py: {a.scenario}: not supported by the peer: {e}", file=sys.stderr)
        return 3
    t2 = time.perf_counter()
    out = {
        "replications": a.n,
        "steps": peer.T,
        "seconds_total": t2 - t0,
        "seconds_setup": t1 - t0,
        "seconds_steps": t2 - t1,
        # every metric at every step: [mean, sd, min, max] lists over the steps
        "metrics": {m: {k: v[i].tolist() for k, v in stats.items()}
                    for i, m in enumerate(peer.names)},
        "targets": {tid: float(v.mean()) for tid, v in met.items()},
    }
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f)
    else:
        json.dump(out, sys.stdout)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
