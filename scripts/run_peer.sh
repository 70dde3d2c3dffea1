#!/usr/bin/env bash
# Rerun the CP-SAT peer (../shared/peers/run_cpsat.py, through its batch driver run_suite.py) on
# exactly the instances `takt bench SET` runs, on this machine, right before takt, so that the
# ratios come from one run on one machine.
#
#   scripts/run_peer.sh SET [options]
#
# SET is whatever `takt bench` takes (a directory, jssp|fjsp|smwt, a list file, an instance); the
# instance list comes from `takt bench SET --list`, so both sides resolve it the same way.
#
# Options:
#   --out FILE          peer CSV (default target/peer/cpsat_<limit>s.csv); the format of
#                       ../shared/peers/cpsat_30s.csv. run_suite.py appends and skips instances
#                       already in it (resumable); --fresh starts over.
#   --fresh             delete --out (and its .log) first
#   --time-limit S      seconds per instance (default 30)
#   --workers N         CP-SAT workers = takt --threads (default 2)
#   --seed N            CP-SAT random seed (default 0)
#   --limit N           only the first N instances (as takt bench --limit)
#   --max-wait S        run_suite.py waits up to S s before each run for other CPU load to go
#                       away (default 120)
#   --solver cpsat|pyjobshop   which peer model (default cpsat)
#   --install           create a venv under target/peer-venv and `pip install ortools` (and
#                       pyjobshop with --solver pyjobshop) into it. Without it nothing is
#                       installed: the venv is used if it exists, else python3 as is.
#   --takt              afterwards run `takt bench SET` with the same limit, threads and --limit,
#                       --compare against the fresh peer CSV, --csv next to it; extra takt
#                       options may follow `--`, e.g. `-- --seeds 3`.
#
# Environment: TAKT_PEERS (default ../shared/peers beside the crate), TAKT_BENCHMARKS (see
# `takt bench --help`), PYTHON (interpreter when no venv is used; default python3), TAKT (the
# takt binary; default target/release/takt, built with `cargo build --release` if missing).
#
# Example (the BENCHMARKS.md Taillard table):
#   scripts/run_peer.sh instances/benchmarks/ta-peer15.txt --install --fresh --takt
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
peers="${TAKT_PEERS:-$root/../shared/peers}"
venv="$root/target/peer-venv"

usage() {
  local text
  text="$(sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//')"
  if [ "${1:-0}" = 0 ]; then echo "$text"; else echo "$text" >&2; fi
  exit "${1:-0}"
}

[ $# -ge 1 ] || usage 2
case "$1" in -h|--help) usage 0 ;; esac
set_arg="$1"; shift
time_limit=30 workers=2 seed=0 limit="" max_wait=120 solver=cpsat
out="" fresh=0 install=0 run_takt=0 takt_extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --time-limit) time_limit="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --limit) limit="$2"; shift 2 ;;
    --max-wait) max_wait="$2"; shift 2 ;;
    --solver) solver="$2"; shift 2 ;;
    --install) install=1; shift ;;
    --takt) run_takt=1; shift ;;
    --) shift; takt_extra=("$@"); break ;;
    -h|--help) usage 0 ;;
    *) echo "run_peer.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$solver" in cpsat|pyjobshop) ;; *) echo "run_peer.sh: --solver cpsat|pyjobshop" >&2; exit 2 ;; esac
[ -f "$peers/run_suite.py" ] || { echo "run_peer.sh: no $peers/run_suite.py (set TAKT_PEERS)" >&2; exit 2; }

# takt: the release binary (built if missing; never a debug build, which would rebuild HiGHS).
takt="${TAKT:-$root/target/release/takt}"
if [ ! -x "$takt" ] && [ -z "${TAKT:-}" ]; then
  (cd "$root" && cargo build --release)
fi

# Python with ortools.
if [ "$install" = 1 ]; then
  if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
  fi
  pkgs=(ortools)
  [ "$solver" = pyjobshop ] && pkgs+=(pyjobshop)
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet "${pkgs[@]}"
fi
if [ -x "$venv/bin/python" ]; then py="$venv/bin/python"; else py="${PYTHON:-python3}"; fi
if ! "$py" -c 'import ortools' 2>/dev/null; then
  echo "run_peer.sh: $py has no ortools; rerun with --install (creates $venv)" >&2
  exit 2
fi
"$py" -c 'import importlib.metadata as m; print("peer: ortools", m.version("ortools"))' >&2

# The same instances as takt bench.
mkdir -p "$root/target/peer"
[ -n "$out" ] || out="$root/target/peer/${solver}_${time_limit}s.csv"
manifest="$(mktemp "$root/target/peer/manifest.XXXXXX")"
trap 'rm -f "$manifest"' EXIT
list_args=(bench "$set_arg" --list)
[ -n "$limit" ] && list_args+=(--limit "$limit")
"$takt" "${list_args[@]}" > "$manifest"
n=$(grep -vc '^#' "$manifest" || true)
[ "$n" -gt 0 ] || { echo "run_peer.sh: $set_arg names no instance the peer can read" >&2; exit 2; }
if [ "$fresh" = 1 ]; then rm -f "$out" "$out.log"; fi
echo "peer: $n instance(s), $solver, ${time_limit}s, $workers workers, seed $seed -> $out" >&2

"$py" "$peers/run_suite.py" "$manifest" --out "$out" --log "$out.log" --solver "$solver" \
  --time-limit "$time_limit" --workers "$workers" --seed "$seed" --max-wait "$max_wait" >&2

if [ "$run_takt" = 1 ]; then
  takt_args=(bench "$set_arg" --time-limit "${time_limit}s" --threads "$workers"
             --compare "$out" --csv "${out%.csv}.takt.csv")
  [ -n "$limit" ] && takt_args+=(--limit "$limit")
  echo "takt: $takt ${takt_args[*]} ${takt_extra[*]}" >&2
  "$takt" "${takt_args[@]}" "${takt_extra[@]}"
fi
