#!/usr/bin/env bash
# A throw-away single-node Slurm cluster on this host, for the integration
# test (tests/slurm/test_slurm_generate.sh) and for trying tools/slurm/ by hand:
#
#   tests/slurm/local-cluster.sh start DIR   # prints `export SLURM_CONF=DIR/etc/slurm.conf`
#   tests/slurm/local-cluster.sh stop DIR
#
# Everything lives under DIR: its own munge key and socket, slurm.conf,
# state, spool, logs and pid files, and free TCP ports, so it leaves the
# host's /etc/slurm, /etc/munge and /run/munge alone and can run beside a
# real installation. The daemons run as the calling user (root in CI):
# SlurmUser is that user, and there are no cgroups (proctrack/linuxproc,
# task/none), which containers rarely allow. The node advertises
# MISI_TEST_GPUS (default 4) stand-in "gpu" GRES (clones of /dev/null), so
# job scripts that ask for --gres=gpu:1 are scheduled as on a GPU cluster.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)

log() { echo "local-cluster: $*" >&2; }

# The tail of each daemon log, for a failure message.
show_logs() {
  local f
  for f in "$dir"/log/*.log; do
    [ -f "$f" ] || continue
    echo "---- $f (last 25 lines)" >&2
    tail -n 25 "$f" >&2
  done
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Kills the daemon whose pid file is $1 (only that process), waiting for it.
stop_pid() {
  local pidfile=$1 pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  rm -f "$pidfile"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

stop() {
  # Jobs first (their steps are children of slurmd's slurmstepd), then the
  # daemons in the reverse order of start.
  if [ -f "$dir/etc/slurm.conf" ] && [ -f "$dir/run/slurmctld.pid" ]; then
    SLURM_CONF=$dir/etc/slurm.conf timeout 10 scancel --quiet --user "$(id -un)" 2>/dev/null || true
    sleep 1
  fi
  stop_pid "$dir/run/slurmd.pid"
  stop_pid "$dir/run/slurmctld.pid"
  stop_pid "$dir/run/munged.pid"
  # slurmstepd processes of jobs still running when slurmd died.
  local p
  for p in $(pgrep -f "^slurmstepd: \[" 2>/dev/null || true); do
    if tr '\0' '\n' </proc/"$p"/environ 2>/dev/null | grep -qx "SLURM_CONF=$dir/etc/slurm.conf"; then
      kill -9 "$p" 2>/dev/null || true
    fi
  done
  log "stopped ($dir)"
}

start() {
  local missing=() b
  for b in munged slurmctld slurmd sbatch squeue sinfo scontrol python3; do
    command -v "$b" >/dev/null 2>&1 || missing+=("$b")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "missing: ${missing[*]} (tools/install-deps.sh installs slurm-wlm and munge)"
    exit 3
  fi

  local host user cpus mem gpus ctld_port slurmd_port
  host=$(hostname -s)
  user=$(id -un)
  cpus=$(nproc)
  # Leave room for the host: a job asking for more than RealMemory is refused.
  mem=$(awk '/^MemAvailable:/ { m = int($2 / 1024) - 512; if (m < 256) m = 256; print m }' /proc/meminfo)
  gpus=${MISI_TEST_GPUS:-4}
  ctld_port=$(free_port)
  slurmd_port=$(free_port)
  while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done

  mkdir -p "$dir"/{etc,munge,state,log,run} "$dir/spool/$host"
  chmod 0755 "$dir/munge"

  # munge: a fresh key and a private socket. munged refuses a key readable by
  # others and checks the directories above its files; /tmp-style sticky
  # parents are fine, --force covers the rest (e.g. a group-writable $TMPDIR).
  if [ ! -s "$dir/munge/munge.key" ]; then
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  fi
  chmod 0400 "$dir/munge/munge.key"
  log "munged (socket $dir/munge/munge.socket)"
  munged --force \
    --key-file="$dir/munge/munge.key" \
    --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/run/munged.pid" \
    --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed" || { show_logs; exit 1; }
  for _ in $(seq 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
  if ! munge -n -S "$dir/munge/munge.socket" | unmunge -S "$dir/munge/munge.socket" >/dev/null; then
    log "munge round trip failed"
    show_logs
    exit 1
  fi

  cat >"$dir/etc/slurm.conf" <<EOF
# Written by tests/slurm/local-cluster.sh: one node, this host, no cgroups.
ClusterName=misi-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without it a job that names no --mem takes the whole node.
DefMemPerCPU=1024
GresTypes=gpu
ReturnToService=2
MinJobAge=600
SlurmdTimeout=60
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem Gres=gpu:$gpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  # Stand-in GPUs: gres/gpu ignores a count without device files and wants
  # character devices, so each "GPU" is a clone of /dev/null (a plain file,
  # where mknod is not allowed, still counts but logs an error).
  mkdir -p "$dir/dev"
  local i
  for ((i = 0; i < gpus; i++)); do
    [ -e "$dir/dev/gpu$i" ] || mknod "$dir/dev/gpu$i" c 1 3 2>/dev/null || : >"$dir/dev/gpu$i"
  done
  echo "NodeName=$host Name=gpu File=$dir/dev/gpu[0-$((gpus - 1))]" >"$dir/etc/gres.conf"
  # An empty plugin stack, so the host's /etc/slurm/plugstack.conf.d is not read.
  : >"$dir/etc/plugstack.conf"
  echo "PlugStackConfig=$dir/etc/plugstack.conf" >>"$dir/etc/slurm.conf"

  export SLURM_CONF=$dir/etc/slurm.conf
  log "slurmctld (port $ctld_port)"
  # -i: ignore any saved state; -c: start clean.
  slurmctld -c -i -f "$SLURM_CONF" || { show_logs; exit 1; }
  log "slurmd -N $host (port $slurmd_port)"
  slurmd -N "$host" -f "$SLURM_CONF" || { show_logs; exit 1; }

  # Wait for the node to register and be idle.
  local state=""
  for i in $(seq 60); do
    state=$(sinfo -h -N -n "$host" -o '%T' 2>/dev/null | head -n1 || true)
    case "$state" in
      idle) break ;;
      inval*) break ;; # a configuration error: the log says which
      down* | drain* | fail*)
        scontrol update nodename="$host" state=resume 2>/dev/null || true ;;
    esac
    sleep 1
  done
  if [ "$state" != "idle" ]; then
    log "node $host is '${state:-unknown}', not idle, after 60 s"
    scontrol show node "$host" >&2 || true
    show_logs
    exit 1
  fi
  log "node $host idle: $cpus CPUs, $mem MB, gpu:$gpus"
  echo "export SLURM_CONF=$SLURM_CONF"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
