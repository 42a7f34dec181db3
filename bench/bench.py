#!/usr/bin/python3
"""ddrsim benchmark: speed, scaling, memory, a NumPy peer, MPI efficiency and sweep
throughput (see bench/README.md).

Usage: /usr/bin/python3 bench/bench.py [--build BUILD_DIR] [--quick]
(--quick skips the memory runs of section 2: speed and the peer only)
Exit status: 0 done (targets missed are reported as FAIL lines), 1 the NumPy
peer disagrees statistically with ddrsim, 2 the benchmark could not run.
"""
import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True

try:
    import numpy as np
    import h5py
    import yaml
except ImportError as e:
    sys.exit(f"bench: {sys.executable} lacks {e.name}: install the Debian packages "
             "python3-numpy, python3-h5py and python3-yaml "
             "(apt-get install python3-numpy python3-h5py python3-yaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "mali-2020-baseline.yaml")
PEER = os.path.join(ROOT, "bench", "peer_numpy.py")
N_SPEED = 10_000
REPEAT = 3
Z_FAIL = 4.5  # |z| beyond this fails (Bonferroni-style: ~220 comparisons)
Z_NOTE = 3.0  # |z| beyond this is counted and listed: a few are expected by chance
PEER_SEED = 20200701
N_MEMORY = (200_000, 1_000_000)  # growth is read off between these two
MB = 1e6  # megabytes are 10^6 bytes here; ru_maxrss is in KiB
# replications of the MPI runs (section 4): a run worth spreading over
# ranks (about 40 s on one rank); at 2 x 10^4 the fixed cost of a launch
# (MPI's start-up and end, about 0.5 s) and of adding up the ranks'
# histograms (about 0.3 s) was 15% of the two-rank run
N_MPI = 100_000
MPI_TARGET = 0.90  # rate at 2 ranks / (2 x rate at 1 rank), one thread each
SWEEP_SCENARIO = os.path.join(ROOT, "scenarios", "mali-2020-second-centre.yaml")
SWEEP_DESIGN = os.path.join(ROOT, "scenarios", "designs", "second-centre-seats.yaml")
N_SWEEP = 2_000  # replications per design point (section 5)


def say(*a):
    print(*a, flush=True)


def load():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


class Run:
    """One child process: wall time, peak RSS (KiB), CPU seconds, exit code."""

    def __init__(self, cmd, tmp, label, progress=None, timeout=None, env=None):
        self.cmd, self.label = cmd, label
        out = open(os.path.join(tmp, "child.out"), "wb")
        err_path = os.path.join(tmp, "child.err")
        err = open(err_path, "wb")
        done = threading.Event()
        for attempt in range(25):
            try:
                t0 = time.perf_counter()
                proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=tmp, env=env)
                break
            except OSError as e:  # the binary being relinked by a concurrent build
                if attempt == 24:
                    sys.exit(f"bench: cannot start {cmd[0]}: {e}")
                say(f"    ({cmd[0]}: {e.strerror}; being rebuilt? retrying in 5 s)")
                time.sleep(5)
        watcher = None
        if progress or timeout:
            watcher = threading.Thread(target=self._watch,
                                       args=(proc.pid, t0, done, progress, timeout), daemon=True)
            watcher.start()
        _, status, ru = os.wait4(proc.pid, 0)
        self.wall = time.perf_counter() - t0
        done.set()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.close()
        err.close()
        self.code = proc.returncode
        self.maxrss_kib = ru.ru_maxrss
        self.cpu = ru.ru_utime + ru.ru_stime
        with open(err_path, errors="replace") as f:
            self.stderr = f.read()
        self.timed_out = getattr(self, "timed_out", False)

    def _watch(self, pid, t0, done, progress, timeout):
        while not done.wait(progress or 5):
            el = time.perf_counter() - t0
            if timeout and el > timeout:
                self.timed_out = True
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
                return
            if progress:
                say(f"    ... {self.label}: {el:.0f} s elapsed (load {load()})")

    def check(self):
        if self.code != 0:
            why = "timed out and was killed" if self.timed_out else f"exited with {self.code}"
            say(f"bench: {' '.join(self.cmd)} {why}\n{self.stderr.strip()}")
            raise SystemExit(2)
        return self


def ddrsim_cmd(binary, out, n, threads, store=None):
    cmd = [binary, "run", SCENARIO, "-n", str(n), "-j", str(threads), "-o", out, "--force",
           "--quiet"]
    if store:
        cmd += ["--store", store]
    return cmd


def mpi_launcher(binary):
    """mpiexec of an MPI build (from its CMakeCache.txt), or None with the reason."""
    cache = os.path.join(os.path.dirname(binary), "CMakeCache.txt")
    try:
        with open(cache) as f:
            entries = dict(line.strip().split("=", 1) for line in f
                           if "=" in line and not line.startswith(("//", "#")))
    except OSError:
        return None, f"no {cache} to tell whether ddrsim was built with MPI"
    if entries.get("DDRSIM_MPI:BOOL", "OFF").upper() not in ("ON", "1", "TRUE", "YES"):
        return None, "ddrsim was built without MPI (DDRSIM_MPI off)"
    mpiexec = entries.get("MPIEXEC_EXECUTABLE:FILEPATH", "")
    if not mpiexec or not os.access(mpiexec, os.X_OK):
        return None, f"the MPI launcher {mpiexec or '(none)'} is not there"
    return mpiexec, None


def mpi_efficiency(binary, tmp, repeat):
    """Section 4: (efficiency, rates, files identical) or (None, reason)."""
    mpiexec, why = mpi_launcher(binary)
    if not mpiexec:
        return None, why
    env = dict(os.environ, OMP_NUM_THREADS="1")
    root = ["--allow-run-as-root"] if os.geteuid() == 0 else []
    # 1 rank, 2 ranks and, as this machine's own measure of two cores, one
    # process of 2 threads, taken in turn: this machine's speed drifts over
    # minutes (it slows under sustained load on both cores), and runs of one
    # kind all at once would compare different machines
    kinds = {1: ("mpirun -n 1", 1), 2: ("mpirun -n 2", 2), "j2": ("run -j 2", None)}
    walls = {k: [] for k in kinds}
    for _ in range(repeat):
        for k, (label, ranks) in kinds.items():
            out = os.path.join(tmp, f"mpi-{k}.h5")
            if ranks:
                cmd = [mpiexec, *root, "-n", str(ranks)] + ddrsim_cmd(binary, out, N_MPI, 1)
            else:
                cmd = ddrsim_cmd(binary, out, N_MPI, 2)
            walls[k].append(Run(cmd, tmp, label, progress=30, timeout=1800,
                                env=env if ranks else None).check().wall)
    best = {k: min(w) for k, w in walls.items()}
    for k, (label, ranks) in kinds.items():
        say(f"   {label + (', -j 1' if ranks else ''):<18}: {best[k]:7.3f} s best (runs: "
            f"{', '.join(f'{w:.3f}' for w in walls[k])}) -> {N_MPI / best[k]:7.0f} "
            f"replications/s")
    same = subprocess.run(["h5diff", "--exclude-path", "/provenance",
                           os.path.join(tmp, "mpi-1.h5"), os.path.join(tmp, "mpi-2.h5")],
                          capture_output=True).returncode == 0
    eff = (N_MPI / best[2]) / (2 * N_MPI / best[1])
    say(f"   efficiency: rate at 2 ranks / (2 x rate at 1 rank) = {eff:.1%}; "
        f"files of 1 and 2 ranks identical (h5diff): {'yes' if same else 'NO'}")
    say(f"   for comparison, 2 threads in one process / (2 x 1 rank) = "
        f"{(N_MPI / best['j2']) / (2 * N_MPI / best[1]):.1%}; 2 ranks / 2 threads = "
        f"{best['j2'] / best[2]:.1%}")
    return eff, same


def sweep_throughput(binary, tmp, repeat, threads):
    """Section 5: replications per second of a grid sweep and of a plain run."""
    with open(SWEEP_DESIGN) as f:
        design = yaml.safe_load(f)
    points = math.prod(len(v) for v in design["inputs"].values())
    total = points * N_SWEEP
    out = os.path.join(tmp, "sweep.h5")
    rates = {}
    for kind, cmd in (
            ("sweep", [binary, "sweep", SWEEP_SCENARIO, SWEEP_DESIGN, "-n", str(N_SWEEP), "-j",
                       str(threads), "-o", out, "--force", "--quiet"]),
            ("run", [binary, "run", SWEEP_SCENARIO, "-n", str(total), "-j", str(threads), "-o",
                     out, "--force", "--quiet"])):
        walls = [Run(cmd, tmp, kind).check().wall for _ in range(repeat)]
        rates[kind] = total / min(walls)
        say(f"   {kind:5}: {min(walls):7.3f} s best (runs: {', '.join(f'{w:.3f}' for w in walls)})"
            f" -> {rates[kind]:7.0f} replications/s")
    ratio = rates["sweep"] / rates["run"]
    say(f"   sweep / plain run: {ratio:.2f} ({points} points x {N_SWEEP} replications vs one run "
        f"of {total})")
    return rates, ratio


def verdict(ok):
    return "PASS" if ok else "FAIL"


def find_binary(build):
    for base in (os.getcwd(), ROOT):
        p = os.path.join(base, build, "ddrsim")
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return os.path.abspath(p)
    sys.exit(f"bench: no executable ddrsim in {build!r} (relative to {os.getcwd()} or {ROOT}); "
             "build it first (make build)")


def main():
    ap = argparse.ArgumentParser(description="ddrsim benchmark")
    ap.add_argument("--build", default="build", help="build directory holding ddrsim")
    ap.add_argument("--quick", action="store_true",
                    help="skip the memory runs (section 2): speed and the NumPy peer only")
    a = ap.parse_args()
    binary = find_binary(a.build)
    if not os.path.isfile(SCENARIO):
        sys.exit(f"bench: missing {SCENARIO}")
    tmp = tempfile.mkdtemp(prefix="ddrsim-bench-")
    try:
        return bench(binary, tmp, a.quick)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench(binary, tmp, quick=False):
    t_start = time.perf_counter()
    out = os.path.join(tmp, "x.h5")
    ref = os.path.join(tmp, "ref.h5")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    say(f"ddrsim benchmark: {version} ({binary})")
    say(f"scenario {os.path.relpath(SCENARIO, ROOT)}; {os.cpu_count()} cores; "
        f"{platform.machine()}; load average {load()} at start")
    say("wall time: time.perf_counter around the whole command (start-up and file writing "
        "included); peak RSS: ru_maxrss of the child (os.wait4)")
    say("")

    # ------------------------------------------------------------ 1. speed
    say(f"1. Speed: {N_SPEED} replications, default store, best of {REPEAT} runs")
    best, rss_1e4 = {}, {}
    for threads in (1, 2):
        walls = []
        for _ in range(REPEAT):
            # the 1-thread file is kept: it is the reference for the peer (section 3)
            dest = ref if threads == 1 else out
            r = Run(ddrsim_cmd(binary, dest, N_SPEED, threads), tmp, f"-j {threads}").check()
            walls.append(r.wall)
            rss_1e4[threads] = max(rss_1e4.get(threads, 0), r.maxrss_kib)
        best[threads] = min(walls)
        rate = N_SPEED / best[threads]
        say(f"   -j {threads}: {best[threads]:7.3f} s best (runs: "
            f"{', '.join(f'{w:.3f}' for w in walls)}) -> {rate:9.0f} replications/s, "
            f"{rate / threads:9.0f} per core")
    rate1, rate2 = N_SPEED / best[1], N_SPEED / best[2]
    scaling = rate2 / rate1
    say(f"   scaling: rate at 2 threads / rate at 1 thread = {scaling:.2f}x")
    say(f"   {N_SPEED} replications with 2 threads: {best[2]:.3f} s "
        f"({'under' if best[2] < 2 else 'NOT under'} 2 s)")
    say(f"   (load average now {load()})")
    say("")

    # ----------------------------------------------------------- 2. memory
    mem, m2, m6, flat = {}, None, None, None
    if quick:
        say("2. Peak memory: skipped (--quick)")
        say("")
    else:
        say("2. Peak memory (RSS), 2 threads")
        mem = {}
        mem[("summary", N_SPEED)] = rss_1e4[2]
        say(f"   n = {N_SPEED:>9,}  store summary: {rss_1e4[2] * 1024 / MB:8.1f} MB "
            f"(max over the runs above)")
        r = Run(ddrsim_cmd(binary, out, N_SPEED, 2, "full"), tmp, "--store full").check()
        mem[("full", N_SPEED)] = r.maxrss_kib
        full_size = os.path.getsize(out)
        say(f"   n = {N_SPEED:>9,}  store full:    {r.maxrss_kib * 1024 / MB:8.1f} MB "
            f"({r.wall:.1f} s; file {full_size / MB:.1f} MB)")
        for n in N_MEMORY:
            est = n / rate2
            say(f"   running n = {n:,} (estimated {est:.0f} s at the measured rate) ...")
            r = Run(ddrsim_cmd(binary, out, n, 2), tmp, f"n = {n:,}", progress=30,
                    timeout=max(1800, 10 * est)).check()
            mem[("summary", n)] = r.maxrss_kib
            say(f"   n = {n:>9,}  store summary: {r.maxrss_kib * 1024 / MB:8.1f} MB "
                f"({r.wall:.1f} s, {n / r.wall:.0f} replications/s)")
        m2, m6 = mem[("summary", N_MEMORY[0])], mem[("summary", N_MEMORY[1])]
        growth = (m6 - m2) * 1024 / MB / ((N_MEMORY[1] - N_MEMORY[0]) / 1e5)
        say(f"   growth from 2*10^5 to 10^6: {(m6 - m2) * 1024 / MB:+.1f} MB "
            f"({growth:+.2f} MB per 10^5 replications)")
        flat = m6 <= m2 * 1.10 + 16 * 1024
        say("")

    # ----------------------------------------------------------- 3. the peer
    say(f"3. NumPy peer (bench/peer_numpy.py, NumPy {np.__version__}, one core), "
        f"{N_SPEED} replications")
    # ddrsim's answer: the file of the last 1-thread run of section 1
    with h5py.File(ref, "r") as f:
        names = list(f["metrics/name"].asstr()[()])
        m_index = {m: i for i, m in enumerate(names)}
        n_c = int(f["replication"].shape[0])
        mean, sd = f["summary/mean"][()], f["summary/sd"][()]
        tids = list(f["targets/id"].asstr()[()])
        prob = f["targets/probability"][()]
    peer_json = os.path.join(tmp, "peer.json")
    walls, pr = [], None
    while len(walls) < REPEAT and sum(walls) < 30:
        pr = Run([sys.executable, PEER, SCENARIO, "-n", str(N_SPEED), "--seed", str(PEER_SEED),
                  "--json", peer_json], tmp, "peer", progress=30, timeout=1800,
                 env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                          MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")).check()
        walls.append(pr.wall)
    with open(peer_json) as f:
        peer = json.load(f)
    t_peer = min(walls)
    rate_peer = N_SPEED / t_peer
    say(f"   peer: {t_peer:.3f} s best of {len(walls)} (runs: "
        f"{', '.join(f'{w:.3f}' for w in walls)}; in-process {peer['seconds_total']:.3f} s of "
        f"which set-up {peer['seconds_setup']:.3f} s; CPU/wall {pr.cpu / pr.wall:.2f}) "
        f"-> {rate_peer:.0f} replications/s per core")
    ratio = rate1 / rate_peer
    say(f"   speed ratio ddrsim (-j 1) / peer, per core: {rate1:.0f} / {rate_peer:.0f} = "
        f"{ratio:.2f}x")
    n_p = peer["replications"]
    T = mean.shape[1]
    at = sorted({T // 4, T // 2, T - 1})  # a quarter, half and the end of the horizon
    say(f"   agreement: the means of every metric at steps {', '.join(map(str, at))} of {T} "
        f"and the target probabilities; z = difference / combined standard error "
        f"(ddrsim n = {n_c}, peer n = {n_p}); |z| > {Z_FAIL:g} fails")
    missing = [m for m in names if m not in peer["metrics"]]
    extra = [m for m in peer["metrics"] if m not in names]
    comps = []  # (|z|, z, label, ddrsim, peer, se)
    for m in names:
        if m in missing:
            continue
        for t in at:
            mc, sc = float(mean[m_index[m], t]), float(sd[m_index[m], t])
            mp, sp = peer["metrics"][m]["mean"][t], peer["metrics"][m]["sd"][t]
            se = math.sqrt(sc * sc / n_c + sp * sp / n_p)
            z = (mp - mc) / se if se > 0 else (0.0 if mp == mc else math.inf)
            comps.append((abs(z), z, f"{m} @ {t}", mc, mp, se))
    for k, tid in enumerate(tids):
        pc, pp = float(prob[k]), peer["targets"][tid]
        se = math.sqrt(pc * (1 - pc) / n_c + pp * (1 - pp) / n_p)
        z = (pp - pc) / se if se > 0 else (0.0 if pp == pc else math.inf)
        comps.append((abs(z), z, f"P({tid})", pc, pp, se))
    comps.sort(key=lambda c: -c[0])
    over3 = [c for c in comps if c[0] > Z_NOTE]
    fails = [c for c in comps if c[0] > Z_FAIL]
    agree = not fails and not missing and not extra
    worst = comps[0] if comps else (0.0, 0.0, "-", 0, 0, 0)
    say(f"     {len(comps)} comparisons ({len(names) - len(missing)} metrics x {len(at)} steps "
        f"+ {len(tids)} target probabilities); worst |z| = {worst[0]:.2f} ({worst[2]}: "
        f"ddrsim {worst[3]:.4g}, peer {worst[4]:.4g})")
    say(f"     |z| > {Z_NOTE:g}: {len(over3)} (about {len(comps) * 0.0027:.1f} expected by "
        f"chance); |z| > {Z_FAIL:g}: {len(fails)}")
    for c in over3:
        say(f"       {c[2]:<48} ddrsim {c[3]:12.4f}  peer {c[4]:12.4f}  se {c[5]:8.4f}  "
            f"z {c[1]:+6.2f}  {'FAIL' if c[0] > Z_FAIL else 'ok'}")
    if missing:
        say(f"     FAIL: metrics of ddrsim the peer does not compute: {', '.join(missing)}")
    if extra:
        say(f"     FAIL: metrics of the peer ddrsim does not have: {', '.join(extra)}")
    say("")

    # ------------------------------------------------------------ 4. MPI
    say(f"4. MPI efficiency: {N_MPI} replications, mpirun -n 1 and -n 2, one thread per rank, "
        f"best of {1 if quick else 2}")
    eff, mpi_note = mpi_efficiency(binary, tmp, 1 if quick else 2)
    if eff is None:
        say(f"   skipped: {mpi_note}")
    say("")

    # ---------------------------------------------------------- 5. sweeps
    say(f"5. Sweep throughput: {os.path.relpath(SWEEP_DESIGN, ROOT)} (a grid) on "
        f"{os.path.relpath(SWEEP_SCENARIO, ROOT)}, {N_SWEEP} replications per point, 2 threads, "
        f"against one run of as many replications; best of 2")
    _, sweep_ratio = sweep_throughput(binary, tmp, 2, 2)
    say("")

    # ---------------------------------------------------------- summary
    say("Targets:")
    say(f"   {verdict(ratio >= 2)}  >= 2x the NumPy peer per core (1 thread): {ratio:.2f}x")
    say(f"   {verdict(scaling >= 1.8)}  >= 1.8x on 2 threads: {scaling:.2f}x")
    say(f"   {verdict(best[2] < 2)}  10^4 replications in < 2 s (2 threads): {best[2]:.3f} s")
    if quick:
        say("   SKIP  < 512 MB at 10^6 replications (--quick)")
        say("   SKIP  memory flat from 2*10^5 to 10^6 replications (--quick)")
    else:
        say(f"   {verdict(m6 * 1024 < 512 * MB)}  < 512 MB at 10^6 replications: "
            f"{m6 * 1024 / MB:.1f} MB")
        say(f"   {verdict(flat)}  memory flat from 2*10^5 to 10^6 replications "
            f"(within 10% + 16 MiB): {m2 * 1024 / MB:.1f} -> {m6 * 1024 / MB:.1f} MB")
    say(f"   {verdict(agree)}  the NumPy peer agrees with ddrsim on all {len(comps)} means and "
        f"probabilities (|z| <= {Z_FAIL:g}; worst {worst[0]:.2f})"
        + ("" if agree else " (correctness failure: exit status 1)"))
    if eff is None:
        say(f"   SKIP  MPI efficiency >= {MPI_TARGET:.0%} at 2 ranks ({mpi_note})")
    else:
        say(f"   {verdict(eff >= MPI_TARGET and mpi_note)}  MPI efficiency >= {MPI_TARGET:.0%} "
            f"at 2 ranks (one thread each): {eff:.1%}"
            + ("" if mpi_note else " (the 2-rank file differs from the 1-rank file)"))
    say(f"   INFO  sweep throughput / plain run: {sweep_ratio:.2f}")
    say(f"load average at the end {load()}; bench took {time.perf_counter() - t_start:.0f} s")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
