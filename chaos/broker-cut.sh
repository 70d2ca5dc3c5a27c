#!/usr/bin/env bash
# broker-cut.sh: the broker made unreachable, extracts submitted meanwhile (drop folder and
# POST /extracts), the pipeline killed with kill -9 during the outage, the broker back, the pipeline
# restarted, POSTs that got no 201 retried as a client would. Checks every extract is delivered
# exactly once, nothing sits in refused/, a 409 names a transfer that was delivered, and status
# shows every submission (none "recorded but never announced" while saying nothing needs attention).
#
#   chaos/broker-cut.sh [--mode stop|kill] [--drops N] [--posts N] [--outage SECONDS] [--wait SECONDS] [--quick] [--keep]
#
# --mode stop (default) freezes the embedded broker's JVM with SIGSTOP and thaws it with SIGCONT;
# --mode kill kills it with kill -9 and lets the restarted pipeline start it again from its data.
# Defaults: 6 drop-folder extracts, 3 POSTs, 40 s outage, 300 s wait: about 6 minutes.
# --quick: 3 drops, 2 posts, 180 s wait.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=stop DROPS=6 POSTS=3 OUTAGE=40 WAIT=300 KEEP=0
while (( $# )); do
  case $1 in
    --mode) MODE=$2; shift ;;
    --drops) DROPS=$2; shift ;;
    --posts) POSTS=$2; shift ;;
    --outage) OUTAGE=$2; shift ;;
    --wait) WAIT=$2; shift ;;
    --quick) DROPS=3 POSTS=2 WAIT=180 ;;
    --keep) KEEP=1 ;;
    *) echo "broker-cut.sh: unknown option $1 (known: --mode --drops --posts --outage --wait --quick --keep)" >&2; exit 2 ;;
  esac
  shift
done
[[ $MODE == stop || $MODE == kill ]] || { echo "broker-cut.sh: --mode is stop or kill" >&2; exit 2; }

ensure_jar
RUN_DIR=$(mktemp -d /tmp/sf1820-chaos-brokercut.XXXXXX)
HTTP_PORT=$(free_port)
RUN_ID=$(basename "$RUN_DIR" | tr -dc 'A-Za-z0-9')
DROP="$RUN_DIR/drop"
mkdir -p "$DROP"
BROKER=""
trap '[[ -n "$BROKER" ]] && kill -CONT "$BROKER" 2>/dev/null; stop_all' EXIT
chaos_classpath >/dev/null
log "run directory $RUN_DIR, mode $MODE, $DROPS drops, $POSTS posts, http port $HTTP_PORT"

FAGSYSTEMS=(KSD DUBU KY FBS KP)
PERIODS=(M01 M02 M03 M04 M05 M06 M07 M08 M09 M10 M11 M12)
extract_file() { # name -> path of a file with the marker
  local f="$RUN_DIR/src/$1.csv"
  mkdir -p "$RUN_DIR/src"
  { echo "cpr;dage;fra"; echo "0101701234;$RANDOM;2026-03-02"; echo "chaos-marker-$RUN_ID-$1"; } >"$f"
  echo "$f"
}
post() { # name index -> http code; body in post-<name>.json
  curl -s --max-time 90 -o "$RUN_DIR/post-$1.json" -w '%{http_code}' -F "fagsystem=${FAGSYSTEMS[$2 % 5]}" \
    -F "authority=0147" -F "period=${PERIODS[$2 % 12]}" -F "file=@$RUN_DIR/src/$1.csv" \
    "http://127.0.0.1:$HTTP_PORT/extracts"
}

start_pipeline
await_http 180 || { log "pipeline did not start, see $RUN_DIR/pipeline.out"; exit 2; }
BROKER=$(broker_pid)
[[ -n "$BROKER" ]] || { log "cannot find the embedded broker's pid"; exit 2; }
log "pipeline $PIPELINE_PID up, broker pid $BROKER at $(bootstrap)"

# --- the outage
if [[ $MODE == stop ]]; then kill -STOP "$BROKER"; else kill -9 "$BROKER"; fi
log "broker made unreachable ($MODE)"
for i in $(seq 1 "$DROPS"); do
  name="drop-$i" fs=${FAGSYSTEMS[i % 5]} pe=${PERIODS[i % 12]}
  f=$(extract_file "$name")
  mkdir -p "$DROP/$fs/0561/$pe" && cp "$f" "$DROP/$fs/0561/$pe/" && touch "$DROP/$fs/0561/$pe/$name.csv.done"
done
declare -A POSTED
for i in $(seq 1 "$POSTS"); do
  extract_file "post-$i" >/dev/null
  ( code=$(post "post-$i" "$i"); echo "$code" >"$RUN_DIR/post-$i.code" ) &
done
sleep "$OUTAGE"
log "kill -9 of the pipeline during the outage"
kill9_pipeline
sleep 2
for i in $(seq 1 "$POSTS"); do POSTED[$i]=$(cat "$RUN_DIR/post-$i.code" 2>/dev/null || echo none); done
log "POST answers during the outage: $(for i in "${!POSTED[@]}"; do echo -n "post-$i=${POSTED[$i]} "; done)"
[[ $MODE == stop ]] && kill -CONT "$BROKER"
log "broker back; restarting the pipeline"

start_pipeline
await_http 180 || { fail "the pipeline did not come back after the outage (see $RUN_DIR/pipeline.out)"; report broker-cut.sh; exit 1; }

# --- a client retries every POST that did not get 201
declare -A NAMED
for i in $(seq 1 "$POSTS"); do
  [[ ${POSTED[$i]} == 201 ]] && continue
  code=$(post "post-$i" "$i")
  log "retry of post-$i: $code $(head -c 200 "$RUN_DIR/post-post-$i.json")"
  case $code in
    201) ;;
    409) NAMED[$i]=$(jq -r '.transferId // empty' "$RUN_DIR/post-post-$i.json") ;;
    *) fail "the retry of post-$i answered $code: $(head -c 200 "$RUN_DIR/post-post-$i.json")" ;;
  esac
done

# --- bounded wait
total=$((DROPS + POSTS))
start=$SECONDS
while (( SECONDS - start < WAIT )); do
  delivered=$(dst_markers | grep -c "chaos-marker-$RUN_ID-" || true)
  log "waiting: $delivered/$total at DST"
  (( delivered >= total )) && break
  sleep 10
done
sleep 5

# --- checks
dst_markers | grep "chaos-marker-$RUN_ID-" | sort | uniq -c >"$RUN_DIR/dst-markers.txt"
for name in $(for i in $(seq 1 "$DROPS"); do echo "drop-$i"; done; for i in $(seq 1 "$POSTS"); do echo "post-$i"; done); do
  c=$(awk -v m="chaos-marker-$RUN_ID-$name" '$2==m {print $1}' "$RUN_DIR/dst-markers.txt")
  if [[ -z $c ]]; then
    why=""
    r=$(find "$DROP/refused" -name "$name.csv.reason" 2>/dev/null | head -1)
    [[ -n $r ]] && why=" (refused/: $(head -c 250 "$r" | tr '\n' ' '))"
    [[ $name == post-* && -n ${NAMED[${name#post-}]:-} ]] && why=" (the retry got 409 naming transferId ${NAMED[${name#post-}]})"
    fail "$name never reached DST$why"
  elif (( c > 1 )); then fail "$name reached DST $c times"
  else pass "$name reached DST once"; fi
done
refused=$(find "$DROP/refused" -type f ! -name '*.reason' 2>/dev/null | wc -l)
(( refused )) && fail "$refused extract(s) in refused/ that were not meant to be refused" || pass "nothing in refused/"

chaos_kafka outcomes "$(bootstrap)" >"$RUN_DIR/outcomes.tsv"
status_json >"$RUN_DIR/status.json"
jq -r '.transfers[].transferId' "$RUN_DIR/status.json" | sort >"$RUN_DIR/transfers.txt"
ntransfers=$(wc -l <"$RUN_DIR/transfers.txt")
(( ntransfers == total )) && pass "status knows $total transfers" || fail "status knows $ntransfers transfer(s) for $total submissions"
cut -f1 "$RUN_DIR/outcomes.tsv" | sort | uniq -d >"$RUN_DIR/outcomes-twice.txt"
[[ -s "$RUN_DIR/outcomes-twice.txt" ]] && fail "transfers with more than one outcome: $(tr '\n' ' ' <"$RUN_DIR/outcomes-twice.txt")"
succeeded=$(awk -F'\t' '$2=="DeliverySucceeded"' "$RUN_DIR/outcomes.tsv" | wc -l)
(( succeeded == total )) && pass "$total DeliverySucceeded" || fail "$succeeded DeliverySucceeded for $total submissions"
for i in "${!NAMED[@]}"; do
  id=${NAMED[$i]}
  grep -q "^$id"$'\t'"DeliverySucceeded" "$RUN_DIR/outcomes.tsv" && pass "post-$i's 409 names $id, which was delivered" \
    || fail "post-$i's retry got 409 naming transferId $id, which never reached an outcome ($(jq -r --arg id "$id" '[.transfers[] | select(.transferId==$id) | .state] | first // "unknown to status"' "$RUN_DIR/status.json"))"
done
cli_status >"$RUN_DIR/status.txt"; rc=$?
if (( rc != 0 )); then fail "./sf1820 status exited $rc"
elif ! grep -q "^$total transfer(s): SUCCEEDED=$total\$" "$RUN_DIR/status.txt"; then
  fail "./sf1820 status: $(grep 'transfer(s):' "$RUN_DIR/status.txt"); $(grep -m1 'attention' "$RUN_DIR/status.txt")"
else pass "./sf1820 status: $(grep 'transfer(s):' "$RUN_DIR/status.txt")"; fi

report broker-cut.sh; rc=$?
(( rc == 0 && KEEP == 0 )) && { trap - EXIT; stop_all; rm -rf "$RUN_DIR"; }
exit $rc
