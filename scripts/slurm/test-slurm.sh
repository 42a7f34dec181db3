#!/bin/sh
# Not in CI: runs the scripts of scripts/slurm under a real one-node Slurm.
# Usage (as root, from the ddrsim directory): sh scripts/slurm/test-slurm.sh [BUILD_DIR]
# (make test-slurm). Installs Debian's slurm-wlm and munge if missing, writes
# a minimal configuration in a temporary directory (this host is controller
# and only compute node; no cgroups), starts munged, slurmctld and slurmd,
# submits submit.sh (a job array of shards and the merge that waits for it),
# mpi.sbatch on a small run and long.sbatch (a checkpointed run, requeued
# once it has kept a segment), waits for them, compares the result files
# with a run in one process (h5diff without /provenance), then stops the
# daemons it started and removes the directory. Exit status 0 when all
# files are identical to the one-process run; otherwise the reason is printed
# and the daemons' logs are kept.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
ddrsim=$build/ddrsim
scenario=$src/scenarios/mali-2020-baseline.yaml
reps=${REPS:-300}
shards=3

die() {
  echo "test-slurm: FAIL: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (it starts slurmd, which runs jobs as their user)"
[ -x "$ddrsim" ] || die "$ddrsim not found: build first (make build)"
sh "$src/scripts/install-deps.sh" slurm-wlm munge
for p in munged slurmctld slurmd sbatch squeue scontrol srun; do
  command -v "$p" >/dev/null || die "$p not found after installing slurm-wlm and munge"
done

tmp=$(mktemp -d /tmp/ddrsim-slurm-XXXXXX)
chmod 755 "$tmp"
keep=1 # the logs stay unless everything passed (or KEEP=1)
pids=""

stop() {
  for f in slurmd slurmctld munged; do
    [ -s "$tmp/$f.pid" ] || continue
    pid=$(cat "$tmp/$f.pid")
    kill "$pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$keep" -eq 1 ]; then
    echo "test-slurm: logs and configuration kept in $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/work"
chown munge:munge "$tmp/munge"
chmod 755 "$tmp/munge" # munged wants its socket directory open to all

# munge: its own socket, pid and log files, the system's key.
[ -r /etc/munge/munge.key ] || die "/etc/munge/munge.key missing (the munge package makes it)"
runuser -u munge -- munged --socket="$tmp/munge/munge.socket" --pid-file="$tmp/munge/munged.pid" \
  --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" ||
  die "munged did not start: $(tail -n 3 "$tmp/munge/munged.log" 2>/dev/null)"
ln -s "$tmp/munge/munged.pid" "$tmp/munged.pid"
for _ in $(seq 20); do [ -S "$tmp/munge/munge.socket" ] && break; sleep 0.25; done
munge -S "$tmp/munge/munge.socket" -n </dev/null | unmunge -S "$tmp/munge/munge.socket" >/dev/null ||
  die "munge credentials do not round-trip through $tmp/munge/munge.socket"

# The smallest configuration that runs jobs: no cgroup plugins (proctrack by
# process tree, no task binding), no accounting database, state in $tmp.
cat >"$tmp/slurm.conf" <<EOF
ClusterName=ddrsimtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=pmix
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/slurm.conf"

slurmctld -f "$SLURM_CONF" -i ||
  die "slurmctld did not start: $(tail -n 5 "$tmp/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" ||
  die "slurmd did not start: $(tail -n 5 "$tmp/slurmd.log" 2>/dev/null)"
# wait for the node to come up idle
state=""
for _ in $(seq 60); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
  case "$state" in idle*) break ;; esac
  sleep 0.5
done
case "$state" in
  idle*) ;;
  *)
    die "node $host is not idle after 30 s (state '${state:-none}'): slurmd says:
$(tail -n 8 "$tmp/slurmd.log" 2>/dev/null)
slurmctld says:
$(tail -n 8 "$tmp/slurmctld.log" 2>/dev/null)"
    ;;
esac
echo "test-slurm: slurmctld and slurmd up on $host ($cpus CPUs)"

# The one-process run everything must equal.
cd "$tmp/work"
"$ddrsim" run "$scenario" -n "$reps" -j 1 -q -o whole.h5

export DDRSIM="$ddrsim" SCENARIO="$scenario" REPS="$reps"

# Shards and merge, exactly as a user submits them, the array sized here.
OUTPUT=shards.h5 sh "$src/scripts/slurm/submit.sh" --array=1-$shards --cpus-per-task=1 >submit.out ||
  die "submit.sh failed: $(cat submit.out)"
cat submit.out
array=$(sed -n 's/^shards: job \([0-9]*\);.*/\1/p' submit.out)
merge=$(sed -n 's/.*merge: job \([0-9]*\);.*/\1/p' submit.out)
[ -n "$array" ] && [ -n "$merge" ] || die "cannot read the job ids from: $(cat submit.out)"

# The MPI job: as many ranks as CPUs, one thread each.
ranks=$((cpus < 2 ? 1 : 2))
# srun starts ddrsim through a wrapper that notes each process's rank.
printf '#!/bin/sh\necho "${PMIX_RANK:-none}" >>%s/ranks.txt\nexec %s "$@"\n' "$tmp/work" "$ddrsim" \
  >"$tmp/ddrsim-rank"
chmod 755 "$tmp/ddrsim-rank"
mpi=$(DDRSIM="$tmp/ddrsim-rank" OUTPUT=mpi.h5 sbatch --parsable --export=ALL --ntasks=$ranks --cpus-per-task=1 \
  "$src/scripts/slurm/mpi.sbatch") || die "sbatch mpi.sbatch failed"
mpi=${mpi%%;*}
echo "test-slurm: mpi job $mpi ($ranks ranks)"

# The long job with a checkpoint, requeued (killed and started again) once
# it has kept a segment: it must go on from there to the same file as a run
# in one process of its replications.
long_reps=$((reps * 8))
"$ddrsim" run "$scenario" -n "$long_reps" -j 1 -q -o long-whole.h5
long=$(REPS=$long_reps OUTPUT=long.h5 EVERY=$((reps / 2)) sbatch --parsable --export=ALL \
  --cpus-per-task=1 "$src/scripts/slurm/long.sbatch") || die "sbatch long.sbatch failed"
long=${long%%;*}
echo "test-slurm: long job $long ($long_reps replications, checkpointed)"
waited=0
until ls long.h5.checkpoint/segment-* >/dev/null 2>&1; do
  [ "$waited" -lt 1200 ] || die "the long job kept no segment in 120 s: $(cat ./*"$long"*.log 2>&1)"
  sleep 0.1
  waited=$((waited + 1))
done
scontrol requeue "$long" || die "scontrol requeue $long failed"
echo "test-slurm: long job $long requeued after its first segment"

# Each job's states (an array has one line per task); done when none is
# pending or running.
states() { scontrol -o show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
waited=0
while :; do
  all=$(
    states "$array"
    states "$merge"
    states "$mpi"
    states "$long"
  )
  echo "$all" | grep -Eq 'PENDING|RUNNING|CONFIGURING|COMPLETING|REQUEUE' || break
  [ "$waited" -lt 600 ] || die "jobs still not done after 600 s: $(squeue 2>&1)"
  sleep 1
  waited=$((waited + 1))
done
for j in "$array" "$merge" "$mpi" "$long"; do
  bad=$(states "$j" | grep -v '^COMPLETED$' || true)
  if [ -n "$bad" ]; then
    echo "test-slurm: job $j ended $bad; its logs:" >&2
    cat ./*"$j"*.log >&2 2>/dev/null || true
    scontrol show job "$j" >&2 || true
    die "job $j did not complete"
  fi
done

fail=0
# Each process of the MPI job noted its PMIx rank (wrapper below): ranks
# 0..K-1, not K processes each running the whole thing on its own.
got=$(sort -n ranks.txt 2>/dev/null | tr '\n' ' ')
want=$(seq 0 $((ranks - 1)) | tr '\n' ' ')
if [ "$got" != "$want" ]; then
  echo "test-slurm: the MPI job's processes had PMIx ranks '$got', expected '$want'" >&2
  fail=1
fi
restarts=$(scontrol -o show job "$long" | sed -n 's/.*Restarts=\([0-9]*\).*/\1/p')
if [ "${restarts:-0}" -lt 1 ]; then
  echo "test-slurm: the long job was not requeued (Restarts=${restarts:-none})" >&2
  fail=1
fi
[ ! -e long.h5.checkpoint ] || {
  echo "test-slurm: the long job's checkpoint was left behind" >&2
  fail=1
}
cmp_whole() { # file reference
  if [ ! -f "$1" ]; then
    echo "test-slurm: $1 was not written" >&2
    fail=1
  elif ! h5diff --exclude-path /provenance "$2" "$1"; then
    echo "test-slurm: $1 differs from the one-process run" >&2
    fail=1
  else
    echo "test-slurm: $1 is identical to the one-process run (h5diff, /provenance aside)"
  fi
}
cmp_whole long.h5 long-whole.h5
cmp_whole shards.h5 whole.h5
cmp_whole mpi.h5 whole.h5
leftover=$(find . -name '*part*' | head -n 5)
[ -z "$leftover" ] || {
  echo "test-slurm: part files left: $leftover" >&2
  fail=1
}
[ "$fail" -eq 0 ] || die "see above"
keep=${KEEP:-0}
echo "test-slurm: PASS (shard array of $shards + merge, MPI job of $ranks ranks, $reps replications;" \
  "checkpointed job of $long_reps requeued $restarts time(s))"
