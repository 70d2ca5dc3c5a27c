#!/usr/bin/env bash
# poison.sh: hostile records on every topic, a forged PackageReady pointing outside the staging
# area and a real ExtractReady relabelled as another municipality's, then one good extract. Checks the good extract is delivered, every hostile record is on
# <topic>.dlt with a reason header, the forged file reached neither OUT nor DST, status and audit
# answer (HTTP 200) without counting a hostile record as a transfer, and the process is still up (or
# exited non-zero; it is then restarted once and the good extract must still arrive).
#
#   chaos/poison.sh [--wait SECONDS] [--quick] [--keep]
#
# Hostile records per topic (sf1820.extract.ready, .package.ready, .transfer.uploaded,
# .receipt.received, .delivery.outcome, .housekeeping, .operator.actions): a 15-byte record whose Avro string length
# claims 2^31-1 bytes, a real event of the topic cut in half, a well-formed event of a type the topic
# does not carry (DeliverySucceeded, or ExtractReady on the outcome topic), 64 random bytes, the
# topic's schema header followed by 900 KiB of noise, the bare marker C3 01. About 4 minutes;
# --quick waits 120 s instead of 240 s for the good extract.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WAIT=240 KEEP=0
while (( $# )); do
  case $1 in
    --wait) WAIT=$2; shift ;;
    --quick) WAIT=120 ;;
    --keep) KEEP=1 ;;
    *) echo "poison.sh: unknown option $1 (known: --wait --quick --keep)" >&2; exit 2 ;;
  esac
  shift
done

ensure_jar
RUN_DIR=$(mktemp -d /tmp/sf1820-chaos-poison.XXXXXX)
HTTP_PORT=$(free_port)
RUN_ID=$(basename "$RUN_DIR" | tr -dc 'A-Za-z0-9')
SECRET_DIR=$(mktemp -d /tmp/sf1820-chaos-secret.XXXXXX)
SECRET="$SECRET_DIR/secret.txt"
echo "chaos-secret-$RUN_ID: this file lies outside the staging area and must never be sent" >"$SECRET"
mkdir -p "$RUN_DIR/drop"
trap 'stop_all; rm -rf "$SECRET_DIR"' EXIT
chaos_classpath >/dev/null
log "run directory $RUN_DIR, http port $HTTP_PORT"

extract() { # name -> file with a marker
  local f="$RUN_DIR/$1.csv"
  { echo "cpr;dage;fra"; echo "0101701234;3;2026-03-02"; echo "chaos-marker-$RUN_ID-$1"; } >"$f"
  echo "$f"
}
submit() { # name fagsystem authority period
  curl -s --max-time 60 -o "$RUN_DIR/submit-$1.json" -w '%{http_code}' -F "fagsystem=$2" -F "authority=$3" \
    -F "period=$4" -F "file=@$(extract "$1")" "http://127.0.0.1:$HTTP_PORT/extracts"
}
await_marker() { # name seconds
  local start=$SECONDS
  while (( SECONDS - start < $2 )); do
    dst_markers | grep -q "chaos-marker-$RUN_ID-$1\$" && return 0
    sleep 3
  done
  return 1
}

start_pipeline
await_http 180 || { log "pipeline did not start, see $RUN_DIR/pipeline.out"; exit 2; }

# --- one good extract first, so every topic holds a real record to tamper with
code=$(submit first KSD 0561 M03)
[[ $code == 201 ]] || { log "the first good extract was refused ($code): $(cat "$RUN_DIR/submit-first.json")"; exit 2; }
await_marker first "$WAIT" || { log "the first good extract was not delivered within ${WAIT}s; nothing to compare with"; exit 2; }
sleep 5 # its outcome and housekeeping records
log "first good extract delivered; producing hostile records"

chaos_kafka poison "$(bootstrap)" "$SECRET" >"$RUN_DIR/hostile.tsv" || { log "could not produce the hostile records (see chaos-kafka.err)"; exit 2; }
log "$(wc -l <"$RUN_DIR/hostile.tsv") hostile records produced (list in hostile.tsv)"
sleep 10

# --- then one good extract
restarted=0
code=$(submit second DUBU 0751 M04)
if [[ $code != 201 ]]; then
  fail "POST /extracts answered $code for a good extract after the hostile records: $(head -c 300 "$RUN_DIR/submit-second.json")"
fi
if ! await_marker second "$WAIT"; then
  if ! kill -0 "$PIPELINE_PID" 2>/dev/null; then
    wait "$PIPELINE_PID"; rc=$?
    fail "the pipeline exited (status $rc) after the hostile records; restarted once"
    (( rc == 0 )) && fail "the pipeline exited with status 0 after the hostile records: a supervisor would not restart it"
    start_pipeline; restarted=1
    await_http 180 && await_marker second "$WAIT" || fail "the good extract submitted after the hostile records was not delivered, even after a restart"
  else
    fail "the good extract submitted after the hostile records was not delivered within ${WAIT}s, and the process is still up"
  fi
else
  pass "the good extract submitted after the hostile records was delivered"
fi
if (( ! restarted )) && kill -0 "$PIPELINE_PID" 2>/dev/null; then pass "the pipeline process is still up"; fi
grep -q "OutOfMemoryError" "$RUN_DIR/work/logs/sf1820.log" "$RUN_DIR/pipeline.out" 2>/dev/null \
  && fail "OutOfMemoryError in the log: $(grep -h -m1 -B2 'OutOfMemoryError' "$RUN_DIR/work/logs/sf1820.log" | tr '\n' ' ' | cut -c1-300)"
stopped=$(grep -h -i "stopping container\|container.*stopped\|Stopping consumer\|fatal" "$RUN_DIR/work/logs/sf1820.log" 2>/dev/null | grep -vi "shutdown" | head -3)
[[ -n "$stopped" ]] && fail "a listener container stopped: $(echo "$stopped" | cut -c1-200 | tr '\n' ' ')"

# --- every hostile record dead-lettered with a reason
chaos_kafka dlt "$(bootstrap)" $(cut -f1 "$RUN_DIR/hostile.tsv" | sort -u) >"$RUN_DIR/dlt.tsv"
while IFS=$'\t' read -r topic partition offset kind key; do
  hit=$(awk -F'\t' -v t="$topic" -v p="$partition" -v o="$offset" -v k="$key" \
    '$1==t && (($2==p && $3==o) || $4==k) {print; exit}' "$RUN_DIR/dlt.tsv")
  if [[ -z "$hit" ]]; then
    fail "$kind on $topic ($partition@$offset) is not on $topic.dlt"
  elif [[ -z "$(cut -f5 <<<"$hit")" ]]; then
    fail "$kind on $topic is on $topic.dlt without a sf1820-dlt-reason header"
  else
    pass "$kind on $topic dead-lettered: $(cut -f5 <<<"$hit" | cut -c1-120)"
  fi
done <"$RUN_DIR/hostile.tsv"
weak=$(cut -f5 "$RUN_DIR/dlt.tsv" | grep -E '^(EOFException|[A-Za-z.]*Exception): null$|^$' | sort | uniq -c)
[[ -n "$weak" ]] && fail "dead-letter reasons that say nothing about what was wrong: $(echo "$weak" | tr '\n' ' ')"

# --- the forged package reached neither the platform nor DST
leaked=$(grep -rl "chaos-secret-$RUN_ID" "$RUN_DIR/work/serviceplatform" "$RUN_DIR/work/dst" 2>/dev/null)
[[ -n "$leaked" ]] && fail "the forged PackageReady's file (outside the staging area) was sent: $(echo "$leaked" | sed "s|$RUN_DIR/||" | tr '\n' ' ')" \
  || pass "the file outside the staging area reached neither OUT nor DST"
grep -q "chaos-secret-$RUN_ID" "$RUN_DIR/work/logs/sf1820.log" 2>/dev/null && log "note: the secret's content appears in the log"

# --- status and audit answer and count only the two real transfers
code=$(curl -s --max-time 60 -o "$RUN_DIR/status.json" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/transfers")
if [[ $code != 200 ]]; then fail "GET /transfers answered $code: $(head -c 300 "$RUN_DIR/status.json")"
else
  n=$(jq '.transfers | length' "$RUN_DIR/status.json")
  (( n == 2 )) && pass "GET /transfers shows the 2 real transfers" \
    || fail "GET /transfers shows $n transfers for 2 real ones: $(jq -c '.counts' "$RUN_DIR/status.json")"
fi
for name in first second; do
  id=$(jq -r '.transferId // empty' "$RUN_DIR/submit-$name.json" 2>/dev/null)
  [[ -z $id ]] && continue
  code=$(curl -s --max-time 60 -o "$RUN_DIR/audit-$name.json" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/transfers/$id/audit")
  [[ $code == 200 ]] && pass "GET /transfers/$id/audit answers 200" || fail "GET /transfers/$id/audit answered $code: $(head -c 200 "$RUN_DIR/audit-$name.json")"
done
cli_status >"$RUN_DIR/status.txt"; rc=$?
if (( rc != 0 )); then fail "./sf1820 status exited $rc: $(tail -3 "$RUN_DIR/status.err" | tr '\n' ' ' | cut -c1-300)"
else
  line=$(grep 'transfer(s):' "$RUN_DIR/status.txt")
  [[ $line == "2 transfer(s): SUCCEEDED=2" ]] && pass "./sf1820 status: $line" || fail "./sf1820 status counts hostile records: $line"
fi

report poison.sh; rc=$?
(( rc == 0 && KEEP == 0 )) && { trap - EXIT; stop_all; rm -rf "$RUN_DIR" "$SECRET_DIR"; }
exit $rc
