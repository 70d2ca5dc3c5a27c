#!/usr/bin/env bash
# emulator-restart.sh: the Serviceplatform as a process of its own (./sf1820 serviceplatform, as production
# talks to the real platform over the network) is killed with kill -9 and restarted while the pipeline uploads
# to it. Checks that every extract reaches DST exactly once, DST rejected nothing, each transfer has exactly one
# outcome and it is DeliverySucceeded, and nothing is left in the sender's OUT.
#
#   chaos/emulator-restart.sh [--extracts 12] [--kills 3] [--mib 8] [--wait 420] [--seed S] [--keep]
#
# Extracts are KSD (the pipeline has accounts for KSD_SFTPSIMPEL and DST's user only), about --mib MiB each of
# base64 noise so that an upload takes a moment. About 6 minutes on 2 cores. Exit 0 when every check holds, 1
# with what broke, 2 when the run could not be set up.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=12 K=3 MIB=8 WAIT=420 SEED=$RANDOM KEEP=0
while (( $# )); do
  case $1 in
    --extracts) N=$2; shift ;;
    --kills) K=$2; shift ;;
    --mib) MIB=$2; shift ;;
    --wait) WAIT=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --keep) KEEP=1 ;;
    *) echo "emulator-restart.sh: unknown option $1 (known: --extracts --kills --mib --wait --seed --keep)" >&2; exit 2 ;;
  esac
  shift
done
RANDOM=$SEED

ensure_jar
RUN_DIR=$(mktemp -d /tmp/sf1820-chaos-emulator.XXXXXX)
HTTP_PORT=$(free_port) SFTP_PORT=$(free_port)
RUN_ID=$(basename "$RUN_DIR" | tr -dc 'A-Za-z0-9')
DROP="$RUN_DIR/drop" ROOT="$RUN_DIR/platform" KEYS="$RUN_DIR/keys"
SENDER=KSD_SFTPSIMPEL RECIPIENT=DST-CEMOS-SFTPUsername
EMULATOR_PID=""
mkdir -p "$DROP" "$KEYS"
trap 'kill "${DROPPER_PID:-0}" 2>/dev/null; [[ -n "$EMULATOR_PID" ]] && kill -9 "$EMULATOR_PID" 2>/dev/null; stop_all' EXIT
chaos_classpath >/dev/null
log "run directory $RUN_DIR, $N extracts of ${MIB} MiB, $K kills of the emulator, seed $SEED"

for u in $SENDER $RECIPIENT; do
  ssh-keygen -q -t ed25519 -N '' -f "$KEYS/$u" >/dev/null
  echo "$u $(cat "$KEYS/$u.pub")" >>"$RUN_DIR/users.txt"
done

start_emulator() {
  # exec: the subshell becomes the JVM, so its pid is the one to kill
  ( exec java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro -Xmx512m -jar "$JAR" serviceplatform \
      --root "$ROOT" --users "$RUN_DIR/users.txt" --port "$SFTP_PORT" --scan-interval 2s ) >>"$RUN_DIR/emulator.out" 2>&1 &
  EMULATOR_PID=$!
  echo "$EMULATOR_PID" >>"$RUN_DIR/emulator.pids"
  local start=$SECONDS
  while (( SECONDS - start < 180 )); do
    kill -0 "$EMULATOR_PID" 2>/dev/null || return 1
    ssh-keyscan -t ed25519 -p "$SFTP_PORT" 127.0.0.1 >"$RUN_DIR/keyscan.tmp" 2>/dev/null && [[ -s "$RUN_DIR/keyscan.tmp" ]] && return 0
    sleep 1
  done
  return 1
}

start_emulator || { log "the emulator did not start: $(tail -5 "$RUN_DIR/emulator.out")"; exit 2; }
mv "$RUN_DIR/keyscan.tmp" "$KEYS/known_hosts"
log "emulator up (pid $EMULATOR_PID, sftp $SFTP_PORT)"
ACCOUNTS=()
i=0
for u in $SENDER $RECIPIENT; do
  p="--sf1820.sftp.accounts[$i]"
  ACCOUNTS+=("$p.user=$u" "$p.host=127.0.0.1" "$p.port=$SFTP_PORT" "$p.private-key=$KEYS/$u" "$p.known-hosts=$KEYS/known_hosts")
  i=$((i + 1))
done
start_pipeline --sf1820.embedded.serviceplatform=false "${ACCOUNTS[@]}"
await_http 300 || { log "pipeline did not start, see $RUN_DIR/pipeline.out"; exit 2; }
log "pipeline up (pid $PIPELINE_PID, broker $(bootstrap))"

dropper() {
  for idx in $(seq 1 "$N"); do
    local dir="$DROP/KSD/0561/M0$((1 + idx % 6))" name="chaos-$idx.csv"
    mkdir -p "$dir"
    { echo "data"; head -c $((MIB * 786432)) /dev/urandom | base64 -w 76; echo "chaos-marker-$RUN_ID-$idx"; } >"$dir/.$name.tmp"
    mv "$dir/.$name.tmp" "$dir/$name" && touch "$dir/$name.done"
    sleep 3
  done
}
dropper &
DROPPER_PID=$!

for k in $(seq 1 "$K"); do
  sleep $((4 + RANDOM % 10))
  inflight=$(find "$ROOT/users/$SENDER/OUT" -type f 2>/dev/null | wc -l)
  log "kill -9 #$k of the emulator (pid $EMULATOR_PID; $inflight file(s) in OUT)"
  kill -9 "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null
  sleep $((2 + RANDOM % 4))
  start_emulator || { fail "the emulator did not come back after kill #$k"; break; }
  rm -f "$RUN_DIR/keyscan.tmp"
done
wait "$DROPPER_PID" 2>/dev/null
log "all $N extracts dropped, $K kills done; waiting up to ${WAIT}s"

await_deliveries "$N" "$WAIT"

check_at_dst_once "$N"
chaos_kafka outcomes "$(bootstrap)" >"$RUN_DIR/outcomes.tsv"
succeeded=$(awk -F'\t' '$2=="DeliverySucceeded"' "$RUN_DIR/outcomes.tsv" | wc -l)
twice=$(cut -f1 "$RUN_DIR/outcomes.tsv" | sort | uniq -d | wc -l)
(( succeeded == N && twice == 0 )) && pass "$N DeliverySucceeded, one per transfer" || fail "$succeeded DeliverySucceeded for $N extracts, $twice transfer(s) with two outcomes: $(cut -f2 "$RUN_DIR/outcomes.tsv" | sort | uniq -c | tr '\n' ' ')"
left=$(find "$ROOT/users/$SENDER/OUT" -type f 2>/dev/null | wc -l)
(( left == 0 )) && pass "nothing left in the sender's OUT" || fail "$left file(s) left in the sender's OUT: $(ls "$ROOT/users/$SENDER/OUT" | head -5 | tr '\n' ' ')"

report emulator-restart.sh; rc=$?
(( rc == 0 && KEEP == 0 )) && { trap - EXIT; kill -9 "$EMULATOR_PID" 2>/dev/null; stop_all; rm -rf "$RUN_DIR"; }
exit $rc
