#!/usr/bin/env bash
# kill9.sh: extracts dropped into the drop folder while the pipeline JVM is killed with kill -9 at
# random moments and restarted. Then, within a bounded wait, checks that every extract reached DST
# exactly once, every transfer has exactly one outcome (read_committed), nothing was refused that
# should not have been, and status agrees. Measures the restart gap (restart -> next package).
#
#   chaos/kill9.sh [--extracts N] [--kills K] [--wait SECONDS] [--seed S] [--signal KILL|TERM] [--quick] [--keep]
#
# --signal TERM stops the pipeline normally (SIGTERM, as systemd or an operator does) instead of kill -9, and
# checks that it exits within 60 s.
# Defaults: 200 extracts, 10 kills, 420 s final wait (about 10 minutes on 2 cores).
# --quick: 40 extracts, 3 kills, 240 s wait. --keep leaves the run directory (always kept on failure).
# Exit 0 when every check holds, 1 with the list of what broke, 2 when the run itself could not start.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=200 K=10 WAIT=420 SEED=$RANDOM KEEP=0 SIGNAL=KILL
while (( $# )); do
  case $1 in
    --extracts) N=$2; shift ;;
    --kills) K=$2; shift ;;
    --wait) WAIT=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --signal) SIGNAL=${2#SIG}; shift
      [[ $SIGNAL == KILL || $SIGNAL == TERM ]] || { echo "kill9.sh: --signal KILL or TERM, not $2" >&2; exit 2; } ;;
    --quick) N=40 K=3 WAIT=240 ;;
    --keep) KEEP=1 ;;
    *) echo "kill9.sh: unknown option $1 (known: --extracts --kills --wait --seed --signal --quick --keep)" >&2; exit 2 ;;
  esac
  shift
done
RANDOM=$SEED

ensure_jar
RUN_DIR=$(mktemp -d /tmp/sf1820-chaos-kill9.XXXXXX)
HTTP_PORT=$(free_port)
RUN_ID=$(basename "$RUN_DIR" | tr -dc 'A-Za-z0-9')
DROP="$RUN_DIR/drop"
mkdir -p "$DROP"
trap 'kill "${DROPPER_PID:-0}" 2>/dev/null; stop_all' EXIT
chaos_classpath >/dev/null
log "run directory $RUN_DIR, $N extracts, $K kills (SIG$SIGNAL), seed $SEED, http port $HTTP_PORT"

# --- the extracts: five fagsystems, several municipalities and periods; every 10th starts a burst of
# three with the same fagsystem/authority/period dropped in the same second
FAGSYSTEMS=(KSD DUBU KY FBS KP)
AUTHORITIES=(0101 0147 0561 0751 0851 0461)
PERIODS=(M01 M02 M03 M04 M05 M06 K1 K2 2026M03)
plan="$RUN_DIR/plan.tsv"
: >"$plan"
i=0
while (( i < N )); do
  fs=${FAGSYSTEMS[RANDOM % 5]} au=${AUTHORITIES[RANDOM % 6]} pe=${PERIODS[RANDOM % 9]}
  burst=1
  (( i % 10 == 0 )) && burst=3
  for _ in $(seq 1 $burst); do
    (( i < N )) || break
    printf '%d\t%s\t%s\t%s\t%d\n' "$i" "$fs" "$au" "$pe" "$burst" >>"$plan"
    i=$((i + 1))
  done
done

write_extract() { # index fagsystem authority period
  local dir="$DROP/$2/$3/$4" name="chaos-$1.csv"
  mkdir -p "$dir"
  { echo "cpr;dage;fra"
    for r in $(seq 1 20); do echo "$((1000000000 + RANDOM * 7 + r));$((RANDOM % 30));2026-03-$(printf %02d $((r % 28 + 1)))"; done
    echo "chaos-marker-$RUN_ID-$1"; } >"$dir/$name"
  touch "$dir/$name.done"
}

# Drops the plan at a steady pace so the kills fall among submissions; bursts in the same second.
dropper() {
  local pace; pace=$(python3 -c "print(max(0.2, $K * 50 / max($N,1)))")
  local n=0
  while IFS=$'\t' read -r idx fs au pe burst; do
    write_extract "$idx" "$fs" "$au" "$pe"
    # the three of a burst go in back to back, within one second
    if (( burst == 3 )); then n=$((n + 1)); (( n % 3 )) && continue; fi
    sleep "$pace"
  done <"$plan"
}

start_pipeline
await_http 180 || { log "pipeline did not start, see $RUN_DIR/pipeline.out"; exit 2; }
log "pipeline up (pid $PIPELINE_PID, broker $(bootstrap))"
dropper &
DROPPER_PID=$!

# --- K kills at random moments, each followed by a restart
: >"$RUN_DIR/restarts.tsv"
for k in $(seq 1 "$K"); do
  sleep $((3 + RANDOM % 15))
  if [[ $SIGNAL == TERM ]]; then
    log "SIGTERM #$k of pipeline pid $PIPELINE_PID"
    stopping=$SECONDS
    term_pipeline 60 || fail "the pipeline did not exit within 60 s of SIGTERM #$k (killed; see $RUN_DIR/pipeline.out)"
    printf '%s\t%s\n' "$k" "$((SECONDS - stopping))" >>"$RUN_DIR/stop-seconds.tsv"
  else
    log "kill -9 #$k of pipeline pid $PIPELINE_PID"
    kill9_pipeline
  fi
  sleep $((RANDOM % 3))
  start_pipeline
  await_http 180 || { fail "the pipeline did not come back after kill #$k (see $RUN_DIR/pipeline.out)"; break; }
  printf '%s\t%s\t%s\n' "$k" "$PIPELINE_STARTED_AT" "$(date +%s.%N)" >>"$RUN_DIR/restarts.tsv"
done
wait "$DROPPER_PID" 2>/dev/null
log "all $N extracts dropped, $K kills done; waiting up to ${WAIT}s for $N deliveries"

# --- bounded wait for the outcomes
await_deliveries "$N" "$WAIT"

# --- checks
dst_markers | grep "chaos-marker-$RUN_ID-" | sort | uniq -c >"$RUN_DIR/dst-markers.txt"
missing=() twice=()
for idx in $(cut -f1 "$plan"); do
  c=$(awk -v m="chaos-marker-$RUN_ID-$idx" '$2==m {print $1}' "$RUN_DIR/dst-markers.txt")
  [[ -z "$c" ]] && missing+=("$idx") || { (( c > 1 )) && twice+=("$idx"); }
done
if (( ${#missing[@]} )); then
  fail "${#missing[@]} of $N extract(s) never reached DST: $(for m in "${missing[@]:0:20}"; do grep -P "^$m\t" "$plan" | awk '{printf "chaos-%s.csv(%s/%s/%s) ", $1,$2,$3,$4}'; done)"
else pass "every extract reached DST"; fi
(( ${#twice[@]} )) && fail "${#twice[@]} extract(s) reached DST more than once: ${twice[*]:0:20}" || pass "no extract reached DST twice"
check_dst_rejected_nothing

check_one_success_each "$N"
delivered=$(wc -l <"$RUN_DIR/dst-markers.txt")
succeeded=$(awk -F'\t' '$2=="DeliverySucceeded"' "$RUN_DIR/outcomes.tsv" | wc -l)
(( succeeded > delivered )) && fail "$((succeeded - delivered)) DeliverySucceeded more than extracts at DST ($succeeded vs $delivered): success reported for content DST never received"

refused=$(find "$DROP/refused" -type f ! -name '*.reason' 2>/dev/null)
if [[ -n "$refused" ]]; then
  fail "$(echo "$refused" | wc -l) extract(s) in refused/ that were not meant to be: $(for f in $(echo "$refused" | head -5); do echo -n "$(basename "$f"): $(head -c 200 "$f.reason" 2>/dev/null | tr '\n' ' ') | "; done)"
else pass "nothing in refused/"; fi
left=$(find "$DROP" -path "$DROP/refused" -prune -o -type f -name 'chaos-*.csv' -print | wc -l)
(( left )) && fail "$left extract(s) still in the drop folder or processing/" || pass "drop folder empty"

cli_status >"$RUN_DIR/status.txt"; rc=$?
attention=$(jq '.attention | length' "$RUN_DIR/status.json")
if (( rc != 0 )); then fail "./sf1820 status exited $rc (see $RUN_DIR/status.err)"
elif ! grep -q "^$N transfer(s): SUCCEEDED=$N" "$RUN_DIR/status.txt"; then
  fail "./sf1820 status disagrees: $(grep 'transfer(s):' "$RUN_DIR/status.txt") / $(grep -m1 'attention' "$RUN_DIR/status.txt")"
else pass "./sf1820 status: $(grep 'transfer(s):' "$RUN_DIR/status.txt")"; fi
if (( ${#missing[@]} )) && grep -q "nothing needs attention" "$RUN_DIR/status.txt"; then
  fail "./sf1820 status says 'nothing needs attention' while ${#missing[@]} extract(s) were never delivered"
fi

# --- restart gap: restart -> first 'packaged' line after it (only restarts followed by packaging before the next kill)
python3 - "$RUN_DIR" <<'EOF' | tee "$RUN_DIR/restart-gaps.txt" >&2
import sys, re, datetime, os
run = sys.argv[1]
rows = [l.split('\t') for l in open(os.path.join(run, 'restarts.tsv')) if l.strip()]
restarts = [float(r[1]) for r in rows]
ready = [float(r[2]) for r in rows]
packaged = []
for line in open(os.path.join(run, 'work/logs/sf1820.log'), errors='replace'):
    if ' packaged transferId=' in line:
        ts = datetime.datetime.strptime(line[:23], '%Y-%m-%d %H:%M:%S,%f').replace(tzinfo=datetime.timezone.utc).timestamp()
        packaged.append(ts)
gaps = []
for i, r in enumerate(restarts):
    nxt = restarts[i + 1] if i + 1 < len(restarts) else float('inf')
    after = [p for p in packaged if r < p < nxt]
    if after:
        gaps.append(max(0.0, after[0] - ready[i]))
        print(f"restart {i+1}: JVM start -> serving {ready[i]-r:.1f} s, serving -> next package {max(0.0, after[0]-ready[i]):.1f} s"
              f" (JVM start -> next package {after[0]-r:.1f} s)")
    else:
        print(f"restart {i+1}: no package before the next kill")
if gaps:
    print(f"restart gap (serving -> next package): max {max(gaps):.1f} s, median {sorted(gaps)[len(gaps)//2]:.1f} s over {len(gaps)} restart(s)")
    print("GAPMAX %.1f" % max(gaps))
EOF
gapmax=$(sed -n 's/^GAPMAX //p' "$RUN_DIR/restart-gaps.txt")
if [[ -n "$gapmax" ]] && python3 -c "import sys; sys.exit(0 if $gapmax > 15 else 1)"; then
  fail "a restarted pipeline took ${gapmax}s from serving HTTP to its next package (limit 15 s; see restart-gaps.txt)"
fi

report kill9.sh; rc=$?
(( rc == 0 && KEEP == 0 )) && { trap - EXIT; kill "${DROPPER_PID:-0}" 2>/dev/null; stop_all; rm -rf "$RUN_DIR"; }
exit $rc
