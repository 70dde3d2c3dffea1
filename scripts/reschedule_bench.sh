#!/usr/bin/env bash
# Rescheduling benchmark (BENCHMARKS.md, "Rescheduling"): a generated ~1,000-operation 3-plant
# instance, a 60 s baseline plan, a 4-hour breakdown of the busiest machine (most working
# minutes in the plan), then `takt reschedule` against a from-scratch 60 s solve of the patched
# instance.
#
#   scripts/reschedule_bench.sh [OUTDIR] [REPAIR_LIMIT]     (defaults: target/reschedule-bench, 4s)
#   TIGHTNESS=2.5 STABILITY=10 scripts/reschedule_bench.sh ...  (due-date tightness of the
#   generator, default its own 3; --stability of the repair, default takt's)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/reschedule-bench}
LIMIT=${2:-4s}
TAKT=${TAKT:-target/release/takt}
mkdir -p "$OUT"
[ -x "$TAKT" ] || cargo build --release

# 1. The instance (153 jobs of 3-10 operations: 999 operations; calendars, changeovers, due dates).
"$TAKT" generate --jobs 153 --machines 24 --plants 3 --calendars --changeovers --seed 1 \
    --tightness "${TIGHTNESS:-3}" -o "$OUT/instance.yaml" --quiet
# 2. The baseline plan.
"$TAKT" solve "$OUT/instance.yaml" --time-limit 60s --threads 2 --seed 1 --quiet \
    -o "$OUT/plan.csv" > "$OUT/plan.txt"
# 3. The busiest machine, broken for 4 h from `now` (Tuesday 10:00, a day into the plan).
NOW=2026-11-24T10:00
MACHINE=$("$TAKT" report "$OUT/instance.yaml" "$OUT/plan.csv" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["schedules"][0] if "schedules" in d else d[0]
ms = s["details"]["machines"]
print(max(ms, key=lambda m: m["busy"])["machine"])')
cat > "$OUT/events.yaml" <<YAML
events:
  - breakdown: {machine: $MACHINE, from: $NOW, repair: 4h}
YAML
echo "busiest machine: $MACHINE"
# 4. The repair.
T0=$(date +%s.%N)
"$TAKT" reschedule "$OUT/instance.yaml" "$OUT/plan.csv" "$OUT/events.yaml" --now $NOW \
    --time-limit "$LIMIT" --threads 2 --seed 1 --quiet -o "$OUT/repaired.csv" \
    ${STABILITY:+--stability "$STABILITY"} \
    --write-instance "$OUT/patched.yaml" --changes "$OUT/changes.csv" > "$OUT/reschedule.txt" || true
T1=$(date +%s.%N)
"$TAKT" check "$OUT/patched.yaml" "$OUT/repaired.csv"
# 5. From scratch on the patched instance (same started/frozen pins), 60 s.
"$TAKT" solve "$OUT/patched.yaml" --time-limit 60s --threads 2 --seed 1 --quiet \
    -o "$OUT/scratch.csv" > "$OUT/scratch.txt" || true
python3 - "$OUT" "$T0" "$T1" <<'PY'
import csv, sys
out, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
rows = list(csv.DictReader(open(f"{out}/changes.csv")))
kept = [r for r in rows if r["status"] != "new"]
changed = [r for r in kept if r["machine_changed"] == "true" or r["sequence_changed"] == "true"]
def wt(path):
    for line in open(path):
        if line.startswith("weighted tardiness"):
            return [float(x) for x in line.split()[2:] if x.replace(".", "").isdigit()]
rs = wt(f"{out}/reschedule.txt")   # plan, right-shift, rescheduled
sc = wt(f"{out}/scratch.txt")[0]
print(f"operations: {len(rows)}")
print(f"repair wall time: {t1 - t0:.2f} s")
print(f"changed machine or sequence: {len(changed)} of {len(kept)} ({100 * len(changed) / len(kept):.1f} %)")
print(f"weighted tardiness: plan {rs[0]:.0f}, right-shift {rs[1]:.0f}, rescheduled {rs[2]:.0f}, from scratch (60 s) {sc:.0f}")
if sc > 0:
    print(f"rescheduled vs from scratch: {100 * (rs[2] - sc) / sc:+.1f} %")
PY
