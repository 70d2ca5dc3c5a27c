#!/usr/bin/env bash
# freeze.sh: two pipeline instances on one work directory, one of them frozen with SIGSTOP (a VM pause, a long
# GC, a stuck NFS write) for longer than the Kafka session timeout while extracts stream in, then let go with
# SIGCONT (now and then killed with kill -9 while frozen instead, and restarted). While it is frozen the group
# gives its partitions to the other instance, which redoes the uncommitted work; when it resumes, the "zombie"
# goes on exactly where it stopped (mid-upload, between data file and trigger, between publish and commit,
# mid receipt poll, mid packaging, mid drop-folder claim). Then, within a bounded wait, checks that every
# extract reached DST exactly once (by its marker, and by DST's own log: no file received twice), the platform
# got one trigger per transfer and refused none, one outcome per transfer and all DeliverySucceeded, no dead
# letter, nothing refused, the platform's OUT folders, the drop folder and the staging area's extracts and
# packages empty, status agrees; and lists the ERROR lines of every process's log.
#
#   chaos/freeze.sh [--extracts N] [--freezes K] [--min-freeze S] [--max-freeze S] [--kill-percent P]
#                   [--kib KIB] [--big-kib KIB] [--wait SECONDS] [--seed S] [--quick] [--keep]
#
# Processes: instance 1 (`sf1820 run --sf1820.stages=dst-receiver`) owns the work directory: the embedded
# broker (a JVM of its own), the Serviceplatform emulator (in its JVM) and DST's receiver, i.e. everything
# outside the pipeline; it is never frozen. Instances 2 and 3 (`sf1820 run` on the same work directory, which
# joins them to instance 1's broker and emulator) run every pipeline stage; only they are frozen.
# Defaults: 60 extracts (256 KiB of noise each, every fourth 8 MiB so that an upload takes a moment), 8 freezes
# of 12-40 s, every second aimed (see aim), 20 % ended by kill -9, 420 s final wait (about 10 minutes on
# 2 cores). --quick: 24 extracts, 4 freezes, 300 s wait (about 6 minutes).
# Exit 0 when every check holds, 1 with the list of what broke, 2 when the run itself could not start.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=60 K=8 MIN_FREEZE=12 MAX_FREEZE=40 KILL_PERCENT=20 KIB=256 BIG_KIB=8192 WAIT=420 SEED=$RANDOM KEEP=0
while (( $# )); do
  case $1 in
    --extracts) N=$2; shift ;;
    --freezes) K=$2; shift ;;
    --min-freeze) MIN_FREEZE=$2; shift ;;
    --max-freeze) MAX_FREEZE=$2; shift ;;
    --kill-percent) KILL_PERCENT=$2; shift ;;
    --kib) KIB=$2; shift ;;
    --big-kib) BIG_KIB=$2; shift ;;
    --wait) WAIT=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --quick) N=24 K=4 WAIT=300 ;;
    --keep) KEEP=1 ;;
    *) echo "freeze.sh: unknown option $1 (known: --extracts --freezes --min-freeze --max-freeze --kill-percent --kib --big-kib --wait --seed --quick --keep)" >&2; exit 2 ;;
  esac
  shift
done
RANDOM=$SEED

ensure_jar
RUN_DIR=$(mktemp -d /tmp/sf1820-chaos-freeze.XXXXXX)
RUN_ID=$(basename "$RUN_DIR" | tr -dc 'A-Za-z0-9')
DROP="$RUN_DIR/drop"
mkdir -p "$DROP"
declare -A PID PORT
HTTP_PORT=$(free_port) # instance 1's: status and GET /transfers are read there
PORT[2]=$(free_port) PORT[3]=$(free_port)

# Lets every instance go (a frozen JVM ignores SIGTERM until SIGCONT), stops the pipeline instances, then
# instance 1 and the broker (stop_all).
stop_instances() {
  local n p
  for n in 2 3; do
    p=${PID[$n]:-}
    [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null && { kill -CONT "$p"; kill "$p" 2>/dev/null; }
  done
  for n in 2 3; do
    p=${PID[$n]:-}
    [[ -n "$p" ]] || continue
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
  stop_all
}
trap 'kill "${DROPPER_PID:-0}" 2>/dev/null; stop_instances' EXIT
chaos_classpath >/dev/null
log "run directory $RUN_DIR, $N extracts, $K freezes of ${MIN_FREEZE}-${MAX_FREEZE} s (${KILL_PERCENT} % ended by kill -9), seed $SEED"

# Starts pipeline instance $1 (2 or 3) on the shared work directory; it joins instance 1 and takes the lowest
# free instance number, which is $1 as long as they are started in order (a restart gets its number back).
start_instance() {
  local n=$1 owner=${PIPELINE_PID:-}
  PIPELINE_OUT="instance-$n.out" HTTP_PORT=${PORT[$n]} start_pipeline
  PID[$n]=$PIPELINE_PID
  PIPELINE_PID=$owner # stop_all's and await_deliveries' process is instance 1
  PIPELINE_PID=${PID[$n]} HTTP_PORT=${PORT[$n]} await_http 300 || return 1
  grep -q "joining the running embedded default as instance $n " "$RUN_DIR/instance-$n.out" \
    || { log "instance pid ${PID[$n]} did not join as instance $n: $(grep -m1 'joining the running' "$RUN_DIR/instance-$n.out")"; return 1; }
}

PIPELINE_OUT=instance-1.out start_pipeline --sf1820.stages=dst-receiver
OWNER_PID=$PIPELINE_PID
await_http 300 || { log "instance 1 did not start, see $RUN_DIR/instance-1.out"; exit 2; }
log "instance 1 up (pid $OWNER_PID: emulator, DST's receiver; broker $(bootstrap), pid $(broker_pid))"
for n in 2 3; do
  start_instance "$n" || { log "instance $n did not start, see $RUN_DIR/instance-$n.out"; exit 2; }
  log "instance $n up (pid ${PID[$n]}, http ${PORT[$n]})"
done
PIPELINE_PID=$OWNER_PID

# --- the extracts: five fagsystems, six municipalities, nine periods, each with a unique marker and KIB KiB
# of noise so that an upload takes a moment (a freeze can fall inside one)
FAGSYSTEMS=(KSD DUBU KY FBS KP)
AUTHORITIES=(0101 0147 0561 0751 0851 0461)
PERIODS=(M01 M02 M03 M04 M05 M06 K1 K2 2026M03)
plan="$RUN_DIR/plan.tsv"
: >"$plan"
for i in $(seq 0 $((N - 1))); do
  printf '%d\t%s\t%s\t%s\n' "$i" "${FAGSYSTEMS[RANDOM % 5]}" "${AUTHORITIES[RANDOM % 6]}" "${PERIODS[RANDOM % 9]}" >>"$plan"
done
write_extract() { # index fagsystem authority period
  local dir="$DROP/$2/$3/$4" name="chaos-$1.csv" kib=$KIB
  (( $1 % 4 == 3 )) && kib=$BIG_KIB
  mkdir -p "$dir"
  { echo "cpr;dage;fra"
    for r in $(seq 1 20); do echo "$((1000000000 + RANDOM * 7 + r));$((RANDOM % 30));2026-03-$(printf %02d $((r % 28 + 1)))"; done
    head -c $((kib * 768)) /dev/urandom | base64 -w 76 | sed 's/^/#/'
    echo "chaos-marker-$RUN_ID-$1"; } >"$dir/.$name.tmp"
  mv "$dir/.$name.tmp" "$dir/$name" && touch "$dir/$name.done"
}
# spread over the freezes (each takes about 8 s of pause before it and the mean freeze); every fifth drop
# brings two more with it, so that several transfers are in flight at once
dropper() {
  local pace; pace=$(python3 -c "print(max(0.2, $K * (8 + ($MIN_FREEZE + $MAX_FREEZE) / 2) / max($N, 1)))")
  while IFS=$'\t' read -r idx fs au pe; do
    write_extract "$idx" "$fs" "$au" "$pe"
    (( idx % 5 == 1 || idx % 5 == 2 )) || sleep "$pace"
  done <"$plan"
}
dropper &
DROPPER_PID=$!

# What is in flight at a freeze: files in the platform's OUT folders, claims in processing/, staged packages.
inflight() {
  printf 'OUT=%s processing=%s' \
    "$(find "$RUN_DIR/work/serviceplatform/users" -path '*/OUT/*' -type f 2>/dev/null | wc -l)" \
    "$(find "$DROP/processing" -type f -name 'chaos-*.csv' 2>/dev/null | wc -l)"
}

# Every second freeze is aimed (within 15 s, else random) at the instance that is about to write a trigger (its
# data file in a sender's OUT has reached the size its packaged line gave, no trigger yet: the zombie then
# resumes right before the trigger), or that is uploading one (no trigger yet), has a sender's receipt to read,
# or a drop-folder claim to submit. The instance is the one whose log packaged that file (its transporter
# consumes the same partitions) or owns the claim. Prints "<instance> <what>", or nothing.
aim() {
  local start=$SECONDS f name n size line
  while (( SECONDS - start < 15 )); do
    for f in $(find "$RUN_DIR/work/serviceplatform/users" -path '*_SFTPSIMPEL/OUT/*.zip' -o -path '*_SFTPSIMPEL/IN/*.sftpreceipt' 2>/dev/null); do
      name=$(basename "$f" .sftpreceipt)
      [[ $f == */OUT/* && -e "$f.trigger" ]] && continue
      for n in 2 3; do
        line=$(grep -m1 " packaged transferId=[^ ]* fileName=$name " "$RUN_DIR/instance-$n.out" 2>/dev/null) || continue
        if [[ $f == */IN/* ]]; then echo "$n receipt of $name"; return; fi
        size=$(sed 's/.* sizeBytes=\([0-9]*\).*/\1/' <<<"$line")
        # the last bytes arrive, then (a few ms later) the trigger: spin on the size
        for _ in $(seq 1 3000); do
          [[ -e "$f.trigger" || ! -e "$f" ]] && break
          [[ "$(stat -c %s "$f" 2>/dev/null)" == "$size" ]] && { echo "$n trigger of $name"; return; }
        done
        echo "$n upload of $name"; return
      done
    done
    for n in 2 3; do
      f=$(find "$DROP/processing" -path "*-$n/*" -name 'chaos-*.csv' 2>/dev/null | head -1)
      [[ -n "$f" ]] && { echo "$n claim of $(basename "$f")"; return; }
    done
    sleep 0.1
  done
}

# --- K freezes of a random pipeline instance at random moments, each longer than the session timeout (10 s)
printf 'freeze\tinstance\tpid\tstarted\tseconds\tended_by\taimed_at\n' >"$RUN_DIR/freezes.tsv"
for k in $(seq 1 "$K"); do
  sleep $((3 + RANDOM % 10))
  n=$((2 + (RANDOM >> 7) % 2)) aim=random # a higher bit: the lowest repeats with the draws per round
  secs=$((MIN_FREEZE + RANDOM % (MAX_FREEZE - MIN_FREEZE + 1)))
  action=SIGCONT
  (( RANDOM % 100 < KILL_PERCENT )) && action=kill-9
  if (( k % 2 == 0 )); then
    aimed=$(aim)
    [[ -n "$aimed" ]] && { n=${aimed%% *}; aim=${aimed#* }; }
  fi
  p=${PID[$n]}
  kill -0 "$p" 2>/dev/null || { fail "instance $n (pid $p) died before freeze #$k (see $RUN_DIR/instance-$n.out)"; break; }
  kill -STOP "$p" # first, and the log line after: an aimed moment is short
  log "SIGSTOP #$k of instance $n (pid $p) for ${secs}s, then $action; aimed at: $aim ($(inflight))"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$k" "$n" "$p" "$(date -u +%H:%M:%S)" "$secs" "$action" "$aim" >>"$RUN_DIR/freezes.tsv"
  sleep "$secs"
  if [[ $action == kill-9 ]]; then
    kill -9 "$p"; wait "$p" 2>/dev/null
    log "killed frozen instance $n; restarting it"
    start_instance "$n" || { fail "instance $n did not come back after kill -9 #$k (see $RUN_DIR/instance-$n.out)"; break; }
  else
    kill -CONT "$p"
    log "SIGCONT instance $n (pid $p) ($(inflight))"
  fi
done
wait "$DROPPER_PID" 2>/dev/null
log "all $N extracts dropped, $K freezes done; waiting up to ${WAIT}s for $N deliveries"
FREEZES_DONE=$SECONDS

await_deliveries "$N" "$WAIT"
log "waited $((SECONDS - FREEZES_DONE)) s after the last freeze"

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
(( ${#twice[@]} )) && fail "${#twice[@]} extract(s) reached DST in more than one zip: ${twice[*]:0:20}" || pass "no extract in two zips at DST"
# DST stores a second delivery of identical bytes under the same name without a word in its folders; its log
# says each time it received one
grep -ho ' received file=[^ ]*' "$RUN_DIR"/instance-*.out | sort | uniq -c | awk '$1>1' >"$RUN_DIR/dst-received-twice.txt"
[[ -s "$RUN_DIR/dst-received-twice.txt" ]] \
  && fail "DST received $(wc -l <"$RUN_DIR/dst-received-twice.txt") file(s) more than once: $(head -3 "$RUN_DIR/dst-received-twice.txt" | tr -s ' ' | tr '\n' ' ')" \
  || pass "DST received no file twice"
# A zombie's trigger written after the new owner's was routed: the platform sees a second trigger of the
# transfer (its data file gone, so it answers with an error receipt the tracker then drops as a duplicate)
grep -ho 'Trigger processed fileTransferUUID=[^ ]* sendersFileId=[^ ]*' "$RUN_DIR/instance-1.out" \
  | sed 's/.*sendersFileId=//' | sort | uniq -c | awk '$1>1' >"$RUN_DIR/triggers-twice.txt"
[[ -s "$RUN_DIR/triggers-twice.txt" ]] \
  && fail "the platform got $(wc -l <"$RUN_DIR/triggers-twice.txt") transfer(s)' trigger more than once: $(head -3 "$RUN_DIR/triggers-twice.txt" | tr -s ' ' | tr '\n' ' ')" \
  || pass "the platform got one trigger per transfer"
grep -h 'Trigger processed .*problems=\[[^]]' "$RUN_DIR/instance-1.out" >"$RUN_DIR/triggers-refused.txt"
[[ -s "$RUN_DIR/triggers-refused.txt" ]] \
  && fail "the platform refused $(wc -l <"$RUN_DIR/triggers-refused.txt") trigger(s): $(head -2 "$RUN_DIR/triggers-refused.txt" | grep -o 'sendersFileId=[^ ]*\|problems=.*' | cut -c1-120 | tr '\n' ' ')" \
  || pass "the platform refused no trigger"
check_dst_rejected_nothing

check_one_success_each "$N"

# a transfer that succeeded must not be left to an operator as a dead letter (a zombie's retry of it)
chaos_kafka dlt "$(bootstrap)" sf1820.extract.ready sf1820.package.ready sf1820.transfer.uploaded sf1820.receipt.received \
  sf1820.delivery.outcome sf1820.housekeeping >"$RUN_DIR/dead-letters.tsv"
[[ -s "$RUN_DIR/dead-letters.tsv" ]] && fail "$(wc -l <"$RUN_DIR/dead-letters.tsv") dead letter(s): $(head -2 "$RUN_DIR/dead-letters.tsv" | sed "s|$RUN_DIR/||g" | cut -c1-220 | tr '\n' ' ')" || pass "no dead letter"

refused=$(find "$DROP/refused" -type f ! -name '*.reason' 2>/dev/null)
if [[ -n "$refused" ]]; then
  fail "$(echo "$refused" | wc -l) extract(s) in refused/ that were not meant to be: $(for f in $(echo "$refused" | head -5); do echo -n "$(basename "$f"): $(head -c 200 "$f.reason" 2>/dev/null | tr '\n' ' ') | "; done)"
else pass "nothing in refused/"; fi
left=$(find "$DROP" -path "$DROP/refused" -prune -o -type f -name 'chaos-*.csv' -print | wc -l)
(( left )) && fail "$left extract(s) still in the drop folder or processing/: $(find "$DROP" -path "$DROP/refused" -prune -o -type f -name 'chaos-*.csv' -print | sed "s|$DROP/||" | head -5 | tr '\n' ' ')" || pass "drop folder and processing/ empty"
out=$(find "$RUN_DIR/work/serviceplatform/users" -path '*/OUT/*' -type f 2>/dev/null)
[[ -n "$out" ]] && fail "$(echo "$out" | wc -l) file(s) left in the platform's OUT folders: $(echo "$out" | sed "s|$RUN_DIR/work/serviceplatform/users/||" | head -5 | tr '\n' ' ')" || pass "the platform's OUT folders are empty"

# every transfer succeeded, so housekeeping deleted each staged extract and package; a zombie packager that
# resumed after that would leave its zip behind
staged=$(find "$RUN_DIR/work/staging/extracts" "$RUN_DIR/work/staging/packages" -type f 2>/dev/null)
[[ -n "$staged" ]] && fail "$(echo "$staged" | wc -l) file(s) left in staging/extracts or staging/packages: $(echo "$staged" | sed "s|$RUN_DIR/work/staging/||" | head -5 | tr '\n' ' ')" || pass "staging/extracts and staging/packages are empty"

cli_status >"$RUN_DIR/status.txt"; rc=$?
if (( rc != 0 )); then fail "./sf1820 status exited $rc (see $RUN_DIR/status.err)"
elif ! grep -q "^$N transfer(s): SUCCEEDED=$N" "$RUN_DIR/status.txt"; then
  fail "./sf1820 status disagrees: $(grep 'transfer(s):' "$RUN_DIR/status.txt") / $(grep -m1 'attention' "$RUN_DIR/status.txt")"
else pass "./sf1820 status: $(grep 'transfer(s):' "$RUN_DIR/status.txt")"; fi
if (( ${#missing[@]} )) && grep -q "nothing needs attention" "$RUN_DIR/status.txt"; then
  fail "./sf1820 status says 'nothing needs attention' while ${#missing[@]} extract(s) were never delivered"
fi
for n in 2 3; do kill -0 "${PID[$n]}" 2>/dev/null || fail "instance $n (pid ${PID[$n]}) is not running at the end (see $RUN_DIR/instance-$n.out)"; done

# ERROR lines are listed, not judged: each is for the reader to explain
grep -H ' ERROR ' "$RUN_DIR"/instance-*.out >"$RUN_DIR/errors.txt" 2>/dev/null
if [[ -s "$RUN_DIR/errors.txt" ]]; then
  log "note: $(wc -l <"$RUN_DIR/errors.txt") ERROR line(s) in the logs (errors.txt), by logger and message start:"
  sed -E 's|^.*/(instance-[0-9]).out:[^ ]+ ERROR +\[[^]]*\] ([^ ]+) - (.{0,100}).*$|\1 \2: \3|' "$RUN_DIR/errors.txt" \
    | sort | uniq -c | sort -rn | head -15 >&2
else
  log "note: no ERROR line in any log"
fi
log "freezes (freezes.tsv): $(tail -n +2 "$RUN_DIR/freezes.tsv" | awk -F'\t' '{printf "#%s i%s %ss %s (%s); ", $1, $2, $5, $6, $7}')"

report freeze.sh; rc=$?
(( rc == 0 && KEEP == 0 )) && { trap - EXIT; stop_instances; rm -rf "$RUN_DIR"; }
exit $rc
