# Shared by the chaos scripts (sourced, not run). Everything stays on 127.0.0.1, in a fresh work
# directory per run, with ports picked free at start, so several runs (and other sf1820 processes)
# do not meet. Only processes these functions started are ever signalled, by their pid.

CHAOS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# CHAOS_JAR: run another build (e.g. a copy, so that a rebuild meanwhile does not change the jar under a run);
# not passed on (the application refuses settings it does not know, also from the environment)
JAR="${CHAOS_JAR:-$CHAOS_ROOT/app/target/sf1820-app.jar}"
unset CHAOS_JAR
FAILURES=()

log() { printf '%s chaos: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { FAILURES+=("$*"); log "FAIL: $*"; }
pass() { log "ok:   $*"; }

# Builds the application jar once (never the whole reactor's tests).
ensure_jar() {
  if [[ ! -f "$JAR" ]]; then
    log "building the application jar (./mvnw -B -q -DskipTests -pl app -am package) ..."
    (cd "$CHAOS_ROOT" && ./mvnw -B -q -DskipTests -pl app -am package) >&2
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# The jar's classes and libraries unpacked once per jar build (and ChaosKafka.java compiled against them).
chaos_classpath() {
  local dir="${TMPDIR:-/tmp}/sf1820-chaos-lib-$(stat -c %Y "$JAR")-$(stat -c %Y "$CHAOS_ROOT/chaos/ChaosKafka.java")"
  if [[ ! -f "$dir/.complete" ]]; then
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && unzip -q "$JAR" 'BOOT-INF/lib/*' 'BOOT-INF/classes/*')
    mkdir -p "$dir/tool"
    javac -nowarn -d "$dir/tool" -cp "$dir/BOOT-INF/classes:$dir/BOOT-INF/lib/*" \
      "$CHAOS_ROOT/chaos/ChaosKafka.java" >&2
    printf '%s\n' '<configuration><appender name="E" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target><encoder><pattern>%msg%n</pattern></encoder></appender><root level="ERROR"><appender-ref ref="E"/></root></configuration>' >"$dir/tool/logback.xml"
    touch "$dir/.complete"
  fi
  echo "$dir/tool:$dir/BOOT-INF/classes:$dir/BOOT-INF/lib/*"
}

chaos_kafka() {
  java -Xmx512m -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro \
    -Dlogback.configurationFile="$(chaos_classpath | cut -d: -f1)/logback.xml" \
    -cp "$(chaos_classpath)" ChaosKafka "$@" 2>>"$RUN_DIR/chaos-kafka.err"
}

# Starts `sf1820 run` on the embedded default in $RUN_DIR/work with the drop folder $RUN_DIR/drop.
# Sets PIPELINE_PID. Extra arguments go to the application. Its output goes to $RUN_DIR/${PIPELINE_OUT:-pipeline.out}.
start_pipeline() {
  # `run` ignores --server.port (only --spring.*, --sf1820.*, --logging.* pass through), so the environment
  SERVER_PORT="$HTTP_PORT" java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro -Xmx1g -jar "$JAR" run \
    --sf1820.work-dir="$RUN_DIR/work" \
    --sf1820.extractor.drop-folder.dir="$RUN_DIR/drop" \
    --sf1820.extractor.drop-folder.poll-interval=1s --sf1820.extractor.drop-folder.quiet-period=5s \
    --sf1820.embedded.scan-interval=2s --sf1820.receipt-tracker.poll-interval=1s \
    --sf1820.dst-receiver.poll-interval=1s --sf1820.receipt-tracker.timeout="${RECEIPT_TIMEOUT:-5m}" \
    --sf1820.receipt-tracker.punctuate-interval=5s "$@" >>"$RUN_DIR/${PIPELINE_OUT:-pipeline.out}" 2>&1 &
  PIPELINE_PID=$!
  PIPELINE_STARTED_AT=$(date +%s.%N)
  echo "$PIPELINE_PID" >>"$RUN_DIR/pipeline.pids"
}

# Waits until the HTTP interface answers, at most $1 seconds; returns 1 if the process died or time ran out.
await_http() {
  local limit=$1 start=$SECONDS
  while (( SECONDS - start < limit )); do
    kill -0 "$PIPELINE_PID" 2>/dev/null || return 1
    [[ "$(curl -s --max-time 30 -o /dev/null -w "%{http_code}" "http://127.0.0.1:$HTTP_PORT/transfers")" == 200 ]] && return 0
    sleep 1
  done
  return 1
}

kafka_port() { sed -n 's/^port=//p' "$RUN_DIR/work/kafka/ports.properties" 2>/dev/null; }
bootstrap() { echo "127.0.0.1:$(kafka_port)"; }

# The pid of the broker JVM serving the work directory's port (a child of the first pipeline, orphaned by kill -9).
broker_pid() {
  local port; port=$(kafka_port)
  [[ -n "$port" ]] && ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}

kill9_pipeline() {
  if kill -0 "$PIPELINE_PID" 2>/dev/null; then
    kill -9 "$PIPELINE_PID"
    wait "$PIPELINE_PID" 2>/dev/null || true
  fi
}

# A normal stop: SIGTERM, then waits at most $1 seconds for the JVM to exit; returns 1 (and kills it) if it
# did not.
term_pipeline() {
  local limit=$1 start=$SECONDS
  kill -0 "$PIPELINE_PID" 2>/dev/null || return 0
  kill -TERM "$PIPELINE_PID"
  while (( SECONDS - start < limit )); do
    kill -0 "$PIPELINE_PID" 2>/dev/null || { wait "$PIPELINE_PID" 2>/dev/null; return 0; }
    sleep 0.5
  done
  kill -9 "$PIPELINE_PID" 2>/dev/null
  wait "$PIPELINE_PID" 2>/dev/null
  return 1
}

# Stops the pipeline (SIGTERM, then SIGKILL) and the broker it left behind; the run's trap calls it.
stop_all() {
  if [[ -n "${PIPELINE_PID:-}" ]] && kill -0 "$PIPELINE_PID" 2>/dev/null; then
    kill "$PIPELINE_PID" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$PIPELINE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$PIPELINE_PID" 2>/dev/null || true
  fi
  local b; b=$(broker_pid)
  if [[ -n "$b" ]] && grep -q -- "$RUN_DIR/work/kafka" "/proc/$b/cmdline" 2>/dev/null; then
    kill "$b" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$b" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$b" 2>/dev/null || true
  fi
}

status_json() { curl -s --max-time 60 "http://127.0.0.1:$HTTP_PORT/transfers"; }

# `./sf1820 status` against the running broker (read-only: it starts no stage).
cli_status() {
  SF1820_WORK_DIR="$RUN_DIR/work" timeout 120 java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro \
    -jar "$JAR" status --sf1820.work-dir="$RUN_DIR/work" 2>>"$RUN_DIR/status.err"
}

# Every marker found in the zips DST stored, one line each (a marker twice means delivered twice).
dst_markers() {
  local f
  find "$RUN_DIR/work/dst/received" -type f -name '*.zip' 2>/dev/null | while read -r f; do
    unzip -p "$f" 2>/dev/null | grep -ao 'chaos-marker-[A-Za-z0-9-]*' | sort -u
  done
}

# Waits (at most $2 seconds) until $1 of this run's markers are at DST and as many transfers are settled.
await_deliveries() {
  local n=$1 wait=$2 start=$SECONDS delivered settled
  while (( SECONDS - start < wait )); do
    delivered=$(dst_markers | grep -c "chaos-marker-$RUN_ID-" || true)
    settled=$(status_json | jq '[.transfers[] | select(.state=="SUCCEEDED" or .state=="FAILED" or .state=="TIMED_OUT")] | length' 2>/dev/null || echo 0)
    log "waiting: $delivered/$n at DST, $settled transfer(s) settled"
    (( delivered >= n && settled >= n )) && return 0
    sleep 10
  done
  return 1
}

# Checks that each of this run's $1 markers is at DST exactly once and that DST rejected nothing.
check_at_dst_once() {
  local n=$1 markers rejected
  dst_markers | grep "chaos-marker-$RUN_ID-" | sort | uniq -c >"$RUN_DIR/dst-markers.txt"
  markers=$(wc -l <"$RUN_DIR/dst-markers.txt")
  (( markers == n )) && pass "all $n extracts at DST" || fail "$markers of $n extracts at DST"
  awk '$1>1' "$RUN_DIR/dst-markers.txt" | grep -q . \
    && fail "extract(s) at DST twice: $(awk '$1>1 {print $2}' "$RUN_DIR/dst-markers.txt" | tr '\n' ' ')" \
    || pass "no extract at DST twice"
  check_dst_rejected_nothing
}

# Checks that DST kept no delivery aside (work/dst/rejected), naming the first reasons.
check_dst_rejected_nothing() {
  local rejected
  rejected=$(find "$RUN_DIR/work/dst/rejected" -name '*.reason.txt' 2>/dev/null | wc -l)
  (( rejected )) && fail "$rejected delivery(ies) rejected by DST: $(find "$RUN_DIR/work/dst/rejected" -name '*.reason.txt' -exec grep -h -m1 '^reason=' {} \; | sed "s|$RUN_DIR/||g" | cut -c1-160 | head -3 | tr '\n' ' ')" || pass "DST rejected nothing"
}

# Checks, against the outcome topic (read_committed) and GET /transfers, that the $1 extracts are $1 transfers,
# each with exactly one outcome, all DeliverySucceeded. Leaves outcomes.tsv, status.json and transfers.txt.
check_one_success_each() {
  local n=$1 ntransfers notok succeeded
  chaos_kafka outcomes "$(bootstrap)" >"$RUN_DIR/outcomes.tsv"
  status_json >"$RUN_DIR/status.json"
  jq -r '.transfers[].transferId' "$RUN_DIR/status.json" | sort >"$RUN_DIR/transfers.txt"
  ntransfers=$(wc -l <"$RUN_DIR/transfers.txt")
  (( ntransfers == n )) && pass "status knows $n transfers" || fail "status knows $ntransfers transfer(s) for $n extracts"
  cut -f1 "$RUN_DIR/outcomes.tsv" | sort | uniq -c | awk '$1>1 {print $2" ("$1" outcomes)"}' >"$RUN_DIR/outcomes-twice.txt"
  cut -f1 "$RUN_DIR/outcomes.tsv" | sort -u >"$RUN_DIR/outcome-ids.txt"
  comm -23 "$RUN_DIR/transfers.txt" "$RUN_DIR/outcome-ids.txt" >"$RUN_DIR/no-outcome.txt"
  [[ -s "$RUN_DIR/outcomes-twice.txt" ]] && fail "transfers with more than one outcome (read_committed): $(head -5 "$RUN_DIR/outcomes-twice.txt" | tr '\n' ' ')" || pass "no transfer has two outcomes"
  [[ -s "$RUN_DIR/no-outcome.txt" ]] && fail "$(wc -l <"$RUN_DIR/no-outcome.txt") transfer(s) without an outcome: $(head -5 "$RUN_DIR/no-outcome.txt" | tr '\n' ' ')" || pass "every transfer has an outcome"
  notok=$(awk -F'\t' '$2!="DeliverySucceeded"' "$RUN_DIR/outcomes.tsv")
  [[ -n "$notok" ]] && fail "outcomes other than DeliverySucceeded: $(echo "$notok" | cut -f2,3 | sort | uniq -c | head -5 | tr '\n' ' ')" || pass "every outcome is DeliverySucceeded"
  succeeded=$(awk -F'\t' '$2=="DeliverySucceeded"' "$RUN_DIR/outcomes.tsv" | wc -l)
  (( succeeded == n )) && pass "$n DeliverySucceeded" || fail "$succeeded DeliverySucceeded for $n extracts"
}

report() {
  local name=$1
  echo
  if (( ${#FAILURES[@]} == 0 )); then
    echo "$name: PASSED (run directory $RUN_DIR)"
    return 0
  fi
  echo "$name: FAILED, ${#FAILURES[@]} check(s) broke (run directory $RUN_DIR):"
  printf '  - %s\n' "${FAILURES[@]}"
  return 1
}
