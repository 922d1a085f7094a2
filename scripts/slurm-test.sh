#!/usr/bin/env bash
# The fault test of `--slurm` on a real single-node Slurm cluster (run by .ci/run; about 2-4 minutes).
#
# 1. Installs Slurm's controller, node daemon and client (slurmctld, slurmd, slurm-client: the parts of
#    Debian's slurm-wlm this needs) and munge from the machine's own apt sources, when missing.
# 2. Writes a one-node slurm.conf in a temporary directory (this host, its cores, 90 % of its memory;
#    no cgroup plugins: proctrack/linuxproc, task/none) with a fresh munge key, and starts munged,
#    slurmctld and slurmd there; they are stopped on exit, failure included.
# 3. Submits a tiny comparison (none and trivialaugment, 2 seeds, 200 Fashion-MNIST images, 2 epochs) with
#    `./dabo compare --slurm --slurm-tasks 2 --slurm-cpus 1`, kills task 1 with `scancel --signal=KILL`
#    after the first epoch of one of its runs, and waits for the array and the results job.
# 4. Checks: every run finished once (2 epochs in metrics.jsonl, a summary.json, started from scratch
#    exactly once, its first epoch trained once), the killed run was resumed from its checkpoint by
#    another process, and results.md, results.json and report.html exist and list all four runs.
# Prints "slurm-test: ok" last and exits 0, or names what failed and exits 1. SLURM_TEST_KEEP=1 keeps the
# temporary directory (configuration, daemon logs, the comparison and its task logs) for inspection.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "slurm-test: $*"; }
fail() { echo "slurm-test: FAILED: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. packages --------------------------------------------------------------------------------
need=()
command -v slurmctld >/dev/null 2>&1 || [ -x /usr/sbin/slurmctld ] || need+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || [ -x /usr/sbin/slurmd ] || need+=(slurmd)
command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
command -v munged >/dev/null 2>&1 || [ -x /usr/sbin/munged ] || need+=(munge)
if [ "${#need[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || fail "Slurm is not installed and apt-get is unavailable: install ${need[*]} (Debian's slurm-wlm and munge)"
  log="$(mktemp)"
  say "apt-get update"
  as_root apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; fail "apt-get update"; }
  # Packages must not start their services with the distribution's configuration: a policy-rc.d that
  # refuses (exit 101) is put in place for the install when the machine has none.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod 755 "$policy" && own_policy=1
  fi
  say "installing ${need[*]}"
  status=0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >"$log" 2>&1 || status=$?
  [ "$own_policy" -eq 0 ] || as_root rm -f "$policy"
  [ "$status" -eq 0 ] || { cat "$log" >&2; rm -f "$log"; fail "apt-get install ${need[*]}"; }
  rm -f "$log"
fi
export PATH="$PATH:/usr/sbin:/sbin"

# --- 2. a one-node cluster ----------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/dabo-slurm.XXXXXX")"
chmod 755 "$tmp"
export SLURM_CONF="$tmp/slurm.conf"
stop() {
  local code=$?
  set +e
  if [ -f "$tmp/slurmctld.pid" ] || [ -f "$tmp/slurmd.pid" ]; then
    # Jobs first (scontrol shutdown leaves running jobs' slurmstepd and their processes behind).
    if [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
      scancel -u "$(id -un)" >/dev/null 2>&1
      for _ in $(seq 1 75); do
        [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
        sleep 0.2
      done
    fi
    scontrol shutdown >/dev/null 2>&1
    for _ in $(seq 1 50); do
      alive=0
      for p in "$tmp/slurmctld.pid" "$tmp/slurmd.pid"; do
        [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null && alive=1
      done
      [ "$alive" -eq 0 ] && break
      sleep 0.2
    done
    for p in "$tmp/slurmctld.pid" "$tmp/slurmd.pid"; do
      [ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
    done
  fi
  [ -f "$tmp/munge/munged.pid" ] && kill "$(cat "$tmp/munge/munged.pid")" 2>/dev/null
  # Anything of this test still running: its command line names this run's temporary directory.
  leftover="$(pgrep -f -- "$tmp/" | grep -vx "$$" || true)"
  [ -z "$leftover" ] || kill -9 $leftover 2>/dev/null
  if [ "$code" -ne 0 ]; then
    for f in "$tmp"/log/*.log; do
      [ -f "$f" ] && { echo "--- $(basename "$f") (last lines)" >&2; tail -n 15 "$f" >&2; }
    done
    for f in "$tmp"/cmp/slurm/*.log; do
      [ -f "$f" ] && { echo "--- $(basename "$f") (last lines)" >&2; tail -n 15 "$f" >&2; }
    done
  fi
  if [ -n "${SLURM_TEST_KEEP:-}" ]; then
    echo "slurm-test: kept $tmp (SLURM_TEST_KEEP)" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$code"
}
trap stop EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/munge" "$tmp/key" "$tmp/state" "$tmp/spool" "$tmp/log"
chmod 755 "$tmp/munge" # munged's socket directory must be searchable by all
chmod 700 "$tmp/key"
# A fresh key for this cluster only (the machine's /etc/munge is left alone).
head -c 1024 /dev/urandom >"$tmp/key/munge.key"
chmod 600 "$tmp/key/munge.key"
host="$(hostname -s)"
cpus="$(nproc)"
memory=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
port=$((30000 + RANDOM % 20000))
cat >"$SLURM_CONF" <<CONF
ClusterName=dabotest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MinJobAge=600
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

started=$(date +%s)
munged --socket="$tmp/munge/munge.socket" --key-file="$tmp/key/munge.key" --pid-file="$tmp/munge/munged.pid" \
  --log-file="$tmp/log/munged.log" --seed-file="$tmp/munge/munged.seed" || fail "munged did not start (see above)"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 1 120); do
  state="$(sinfo -h -N -o '%T' 2>/dev/null | head -1)"
  [ "$state" = "idle" ] && break
  sleep 0.5
done
[ "${state:-}" = "idle" ] || fail "the node did not become idle within 60 s (sinfo: '${state:-no answer}')"
say "Slurm $(sinfo -V | awk '{print $2}') up: node $host, $cpus CPUs, ${memory} MB ($(( $(date +%s) - started )) s)"

# --- 3. the comparison, one task killed mid-run --------------------------------------------------
out="$tmp/cmp"
submit="$("$root/dabo" compare --methods none,trivialaugment --seeds 2 --train-size 200 --epochs 2 --out "$out" \
  --slurm --slurm-tasks 2 --slurm-cpus 1)" || fail "dabo compare --slurm failed: $submit"
echo "$submit" | sed 's/^/  /'
array=$(echo "$submit" | sed -n 's/^submitted job array \([0-9]*\) .*results job \([0-9]*\) .*/\1/p')
results=$(echo "$submit" | sed -n 's/^submitted job array \([0-9]*\) .*results job \([0-9]*\) .*/\2/p')
[ -n "$array" ] && [ -n "$results" ] || fail "no job ids in dabo's answer"

# The run task 1 is training: the last "== METHOD, seed S" line of its log.
killed=""
deadline=$(( $(date +%s) + 240 ))
while [ -z "$killed" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "task 1 never got to the second epoch of a run"
  log="$(ls "$out"/slurm/task-"${array}"_1.log 2>/dev/null || true)"
  if [ -n "$log" ]; then
    line="$(grep '^== ' "$log" | tail -1 || true)"
    if [ -n "$line" ]; then
      method="$(echo "$line" | sed 's/^== \([^,]*\), seed \([0-9]*\).*/\1/')"
      seed="$(echo "$line" | sed 's/^== \([^,]*\), seed \([0-9]*\).*/\2/')"
      run="$out/runs/$method/seed-$seed"
      if [ -f "$run/checkpoint.bin" ] && [ ! -f "$run/summary.json" ]; then
        scancel --signal=KILL "${array}_1"
        killed="$method/seed-$seed"
        say "killed task ${array}_1 (scancel --signal=KILL) during the second epoch of $killed"
      fi
    fi
  fi
  sleep 0.1
done

deadline=$(( $(date +%s) + 420 ))
while [ -n "$(squeue -h -j "$array,$results" 2>/dev/null)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the jobs did not end within 7 minutes: $(squeue -h -j "$array,$results")"
  sleep 1
done
state1="$(scontrol show job "${array}_1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1)"
state_results="$(scontrol show job "$results" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1)"
say "jobs ended: task 1 ${state1:-?}, results job ${state_results:-?}"

# --- 4. checks ----------------------------------------------------------------------------------
logs=("$out"/slurm/task-"${array}"_*.log "$out"/slurm/results-"${results}".log)
[ -f "$out/slurm/results-${results}.log" ] || fail "no log of the results job"
[ "$state1" != "COMPLETED" ] || fail "task 1 completed although it was killed"
[ "$state_results" = "COMPLETED" ] || fail "the results job ended ${state_results:-?}"
for method in none trivialaugment; do
  for seed in 0 1; do
    run="$out/runs/$method/seed-$seed"
    [ -f "$run/summary.json" ] || fail "$method/seed-$seed has no summary.json"
    [ "$(grep -c '"epoch"' "$run/metrics.jsonl")" -eq 2 ] || fail "$method/seed-$seed: metrics.jsonl has $(grep -c '"epoch"' "$run/metrics.jsonl") epochs, not 2"
    starts=$(cat "${logs[@]}" | grep -cx "== $method, seed $seed" || true)
    [ "$starts" -eq 1 ] || fail "$method/seed-$seed was started from scratch $starts times"
    resumes=$(cat "${logs[@]}" | grep -cx "== $method, seed $seed (resuming)" || true)
    if [ "$method/seed-$seed" = "$killed" ]; then
      [ "$resumes" -eq 1 ] || fail "the killed run $killed was resumed $resumes times, not once"
      grep -lx "== $method, seed $seed (resuming)" "${logs[@]}" | grep -vq "task-${array}_1.log" || fail "the killed run was not resumed by another process"
      grep -q "resuming after epoch 1" "${logs[@]}" || fail "the killed run did not resume from its checkpoint after epoch 1"
    else
      [ "$resumes" -eq 0 ] || fail "$method/seed-$seed was resumed although no task died in it"
    fi
  done
done
first_epochs=$(cat "${logs[@]}" | grep -c '^epoch 1/2 ' || true)
[ "$first_epochs" -eq 4 ] || fail "$first_epochs first epochs were trained for 4 runs (a run was trained twice)"
for f in results.md results.json report.html; do
  [ -s "$out/$f" ] || fail "$f is missing"
done
for method in none trivialaugment; do
  grep -q "| $method |" "$out/results.md" || fail "results.md has no row for $method"
done
[ "$(grep -o '"seeds": *2' "$out/results.json" | wc -l)" -eq 2 ] || fail "results.json does not give 2 seeds for both methods"
resumer="$(grep -lx "== ${killed%/seed-*}, seed ${killed#*/seed-} (resuming)" "${logs[@]}" | xargs -n1 basename)"
say "4 runs finished once each; $killed resumed after epoch 1 by $resumer; results.md, results.json, report.html written ($(( $(date +%s) - started )) s)"
say "ok"
