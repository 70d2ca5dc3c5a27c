#!/usr/bin/env bash
# disk-full.sh: the staging area runs out of space while extracts arrive (drop folder and POST /extracts),
# then space comes back. Checks that nothing is refused or half-written meanwhile (no extract in refused/,
# nothing at DST), that a POST is answered with a status that is not 201 and names the cause, and that once
# space is free again every extract reaches DST exactly once with one DeliverySucceeded each (a drop-folder
# extract by the watcher's next round, a POST by the client's retry).
#
#   chaos/disk-full.sh [--drops 3] [--posts 2] [--full 60] [--wait 300] [--keep]
#
# Needs root: the staging area is a tmpfs of 20 MiB (mount -t tmpfs), filled up by a hidden file, unmounted
# on exit. About 5 minutes on 2 cores. Exit 0 when every check holds, 1 with what broke, 2 when the run
# could not be set up.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DROPS=3 POSTS=2 FULL=60 WAIT=300 KEEP=0
while (( $# )); do
  case $1 in
    --drops) DROPS=$2; shift ;;
    --posts) POSTS=$2; shift ;;
    --full) FULL=$2; shift ;;
    --wait) WAIT=$2; shift ;;
    --keep) KEEP=1 ;;
    *) echo "disk-full.sh: unknown option $1 (known: --drops --posts --full --wait --keep)" >&2; exit 2 ;;
  esac
  shift
done
[[ $(id -u) == 0 ]] || { echo "disk-full.sh: needs root (it mounts a small tmpfs as the staging area)" >&2; exit 2; }

ensure_jar
RUN_DIR=$(mktemp -d /tmp/sf1820-chaos-diskfull.XXXXXX)
HTTP_PORT=$(free_port)
RUN_ID=$(basename "$RUN_DIR" | tr -dc 'A-Za-z0-9')
DROP="$RUN_DIR/drop" STAGING="$RUN_DIR/work/staging" FILLER="$RUN_DIR/work/staging/.chaos-filler"
N=$((DROPS + POSTS))
mkdir -p "$DROP" "$STAGING" "$RUN_DIR/posts"
mount -t tmpfs -o size=20m,mode=0700 tmpfs "$STAGING" || { log "cannot mount a tmpfs on $STAGING"; exit 2; }
trap 'stop_all; umount "$STAGING" 2>/dev/null || umount -l "$STAGING"' EXIT
chaos_classpath >/dev/null
log "run directory $RUN_DIR, staging area a 20 MiB tmpfs, $DROPS drops and $POSTS POSTs while it is full for ${FULL}s"

extract() { # index file -> an extract of about 300 KiB with its marker
  { echo "cpr;dage;fra"
    for r in $(seq 1 12000); do echo "$((1000000000 + RANDOM * 7 + r));$((RANDOM % 30));2026-03-$(printf %02d $((r % 28 + 1)))"; done
    echo "chaos-marker-$RUN_ID-$1"; } >"$2"
}
post() { # index -> the HTTP status; the body in posts/<index>.body
  curl -s --max-time 120 -o "$RUN_DIR/posts/$1.body" -w '%{http_code}' \
    -F fagsystem=KY -F authority=0751 -F period=M0$((1 + $1 % 6)) -F "file=@$RUN_DIR/posts/chaos-$1.csv" \
    "http://127.0.0.1:$HTTP_PORT/extracts"
}

start_pipeline
await_http 300 || { log "pipeline did not start, see $RUN_DIR/pipeline.out"; exit 2; }
log "pipeline up (pid $PIPELINE_PID, broker $(bootstrap))"

# --- the disk fills up
head -c $((20 * 1024 * 1024)) /dev/zero >"$FILLER" 2>/dev/null
log "staging area full: $(df -h --output=avail "$STAGING" | tail -1 | tr -d ' ') available"
for i in $(seq 1 "$DROPS"); do
  dir="$DROP/KSD/0561/M0$i" && mkdir -p "$dir"
  extract "d$i" "$dir/chaos-d$i.csv" && touch "$dir/chaos-d$i.csv.done"
done
declare -A CODE
for i in $(seq 1 "$POSTS"); do
  extract "p$i" "$RUN_DIR/posts/chaos-$i.csv"
  CODE[$i]=$(post "$i")
  log "POST $i while full: ${CODE[$i]} $(head -c 300 "$RUN_DIR/posts/$i.body")"
done
sleep "$FULL"

# --- checks while full
at_dst=$(dst_markers | grep -c "chaos-marker-$RUN_ID-" || true)
(( at_dst == 0 )) && pass "nothing reached DST while the staging area was full" || fail "$at_dst extract(s) at DST while the staging area was full"
refused=$(find "$DROP/refused" -type f 2>/dev/null | wc -l)
(( refused == 0 )) && pass "no dropped extract refused for a full disk" || fail "$refused file(s) in refused/ for a full disk: $(find "$DROP/refused" -name '*.reason' -exec head -c 200 {} \; | tr '\n' ' ')"
for i in $(seq 1 "$POSTS"); do
  if [[ ${CODE[$i]} == 201 ]]; then fail "POST $i answered 201 while the staging area was full"
  elif grep -qi "space\|ENOSPC" "$RUN_DIR/posts/$i.body"; then pass "POST $i answered ${CODE[$i]} naming the full disk"
  else fail "POST $i answered ${CODE[$i]} without naming the cause: $(head -c 200 "$RUN_DIR/posts/$i.body")"; fi
done
half=$(find "$RUN_DIR/work/serviceplatform" -path '*/OUT/*' -type f 2>/dev/null | wc -l)
(( half == 0 )) && pass "nothing in the platform's OUT while full" || fail "$half file(s) in the platform's OUT while the staging area was full"

# --- space comes back; the clients retry
rm -f "$FILLER"
log "space back: $(df -h --output=avail "$STAGING" | tail -1 | tr -d ' ') available"
start=$SECONDS
for i in $(seq 1 "$POSTS"); do
  while (( SECONDS - start < 120 )) && [[ ${CODE[$i]} != 201 && ${CODE[$i]} != 409 ]]; do
    CODE[$i]=$(post "$i"); [[ ${CODE[$i]} == 201 || ${CODE[$i]} == 409 ]] || sleep 5
  done
  [[ ${CODE[$i]} == 201 ]] && pass "POST $i retried: 201" || fail "POST $i retried: ${CODE[$i]} $(head -c 200 "$RUN_DIR/posts/$i.body")"
done
await_deliveries "$N" "$WAIT"

check_at_dst_once "$N"
chaos_kafka outcomes "$(bootstrap)" >"$RUN_DIR/outcomes.tsv"
succeeded=$(awk -F'\t' '$2=="DeliverySucceeded"' "$RUN_DIR/outcomes.tsv" | wc -l)
twice=$(cut -f1 "$RUN_DIR/outcomes.tsv" | sort | uniq -d | wc -l)
(( succeeded == N && twice == 0 )) && pass "$N DeliverySucceeded, one per transfer" || fail "$succeeded DeliverySucceeded for $N extracts, $twice transfer(s) with two outcomes"
chaos_kafka dlt "$(bootstrap)" sf1820.extract.ready sf1820.package.ready sf1820.transfer.uploaded sf1820.receipt.received \
  sf1820.delivery.outcome >"$RUN_DIR/dead-letters.tsv"
[[ -s "$RUN_DIR/dead-letters.tsv" ]] && fail "dead letters: $(head -3 "$RUN_DIR/dead-letters.tsv" | cut -c1-200 | tr '\n' ' ')" || pass "no dead letter"
left=$(find "$DROP" -path "$DROP/refused" -prune -o -type f -name 'chaos-*.csv' -print | wc -l)
(( left == 0 )) && pass "drop folder empty" || fail "$left extract(s) still in the drop folder or processing/"

report disk-full.sh; rc=$?
(( rc == 0 && KEEP == 0 )) && { trap - EXIT; stop_all; umount "$STAGING" 2>/dev/null || umount -l "$STAGING"; rm -rf "$RUN_DIR"; }
exit $rc
