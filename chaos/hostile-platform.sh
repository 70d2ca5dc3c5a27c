#!/usr/bin/env bash
# hostile-platform.sh: hostile SFTP documents against a standalone Serviceplatform emulator, and
# configuration typos against the command line.
#
# Part 1 writes triggers straight into a sender's OUT (as a client with a broken or malicious SFTP
# tool could leave them), runs one scan through the HTTP control, and checks: every trigger got a
# receipt, every receipt and .metadata is well-formed XML 1.0 (xmllint), nothing was delivered or
# answered as a hidden file, nothing was written outside the users' IN/OUT, no local file was read
# into an output (external entity), and the emulator still answers.
# Cases: a baseline good trigger; XML 1.1 with &#1; in SendersFileId; FileName of 240 and of 255
# characters; FileName starting with '.'; DOCTYPE with an external entity; wrong SizeInBytes;
# ../ in FileName; an unknown recipient.
#
# Part 2 checks that typos are refused, naming the key: an unknown --sf1820.* key to the emulator and
# to `run`, an unknown option to `run` and to `submit`.
#
#   chaos/hostile-platform.sh [--skip-typos] [--quick] [--keep]
#
# About 4 minutes (part 2 starts the whole application three times); --quick (= --skip-typos) under 1 minute.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TYPOS=1 KEEP=0
while (( $# )); do
  case $1 in
    --skip-typos|--quick) TYPOS=0 ;;
    --keep) KEEP=1 ;;
    *) echo "hostile-platform.sh: unknown option $1 (known: --skip-typos --quick --keep)" >&2; exit 2 ;;
  esac
  shift
done

if ! command -v xmllint >/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    log "installing xmllint (Debian libxml2-utils)"
    (apt-get install -y -q libxml2-utils >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libxml2-utils >/dev/null 2>&1; })
  fi
  command -v xmllint >/dev/null || { echo "hostile-platform.sh: needs xmllint (apt-get install libxml2-utils, as root)" >&2; exit 2; }
fi

ensure_jar
RUN_DIR=$(mktemp -d /tmp/sf1820-chaos-platform.XXXXXX)
ROOT="$RUN_DIR/platform"
SFTP_PORT=$(free_port) SCAN_PORT=$(free_port) HTTP_PORT=$(free_port)
EMULATOR_PID=""
trap '[[ -n "$EMULATOR_PID" ]] && kill "$EMULATOR_PID" 2>/dev/null; stop_all' EXIT
SENDER=KSD_SFTPSIMPEL RECIPIENT=DST-CEMOS-SFTPUsername
NS=http://serviceplatformen.dk/xml/wsdl/soap11/SFTP/1/types
log "run directory $RUN_DIR"

mkdir -p "$RUN_DIR/keys"
for u in $SENDER $RECIPIENT; do
  ssh-keygen -q -t ed25519 -N '' -f "$RUN_DIR/keys/$u" >/dev/null
  echo "$u $(cat "$RUN_DIR/keys/$u.pub")" >>"$RUN_DIR/users.txt"
done

emulator() {
  # exec: run in the background, the function's subshell becomes the JVM, so its pid is the one to stop
  SF1820_WORK_DIR="$RUN_DIR/work" exec java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro -jar "$JAR" \
    serviceplatform --root "$ROOT" --users "$RUN_DIR/users.txt" --port "$SFTP_PORT" --scan-interval 0s \
    --http-port "$SCAN_PORT" "$@"
}
emulator >"$RUN_DIR/emulator.out" 2>&1 &
EMULATOR_PID=$!
for _ in $(seq 1 120); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$SCAN_PORT/housekeeping")" == 200 ]] && break
  kill -0 "$EMULATOR_PID" 2>/dev/null || { log "the emulator did not start: $(tail -5 "$RUN_DIR/emulator.out")"; exit 2; }
  sleep 1
done
OUT="$ROOT/users/$SENDER/OUT" IN="$ROOT/users/$SENDER/IN" DST_IN="$ROOT/users/$RECIPIENT/IN"
[[ -d $OUT ]] || { log "no OUT folder at $OUT"; exit 2; }
log "emulator up (pid $EMULATOR_PID, sftp $SFTP_PORT, http $SCAN_PORT)"

long_name() { # length -> a valid-looking data file name of that length
  local base="KSD_DST_0561_M03_20260301" pad
  pad=$(( $1 - ${#base} - 10 ))
  printf '%s%s000001.zip' "$base" "$(head -c "$pad" /dev/zero | tr '\0' '7')"
}
data_file() { # name -> writes a small zip (or plain bytes) into OUT, prints its size
  (cd "$RUN_DIR" && printf 'chaos\n' >payload.csv && rm -f payload.zip && python3 -c "import zipfile; z=zipfile.ZipFile('payload.zip','w'); z.write('payload.csv'); z.close()")
  cp "$RUN_DIR/payload.zip" "$OUT/$1"
  stat -c %s "$OUT/$1"
}
trigger() { # trigger-file prolog filename size senders-file-id recipient [doctype]
  printf '%s%s<ns2:Trigger xmlns:ns2="%s"><FileDescriptor><FileName>%s</FileName><SizeInBytes>%s</SizeInBytes><Sender>%s</Sender><SendersFileId>%s</SendersFileId><Recipients>%s</Recipients></FileDescriptor><FileContentDescriptor/></ns2:Trigger>\n' \
    "$2" "${7:-}" "$NS" "$3" "$4" "$SENDER" "$5" "$6" >"$OUT/$1"
}

# --- the cases: name, trigger file, FileName; each SendersFileId carries "chaos-<case>"
XML10='<?xml version="1.0" encoding="UTF-8"?>'
n=0
name() { n=$((n + 1)); f=$(printf 'KSD_DST_0561_M03_2026030100%04d.zip' "$n"); } # sets f
declare -A CASES

name; s=$(data_file "$f"); trigger "$f.trigger" "$XML10" "$f" "$s" "chaos-baseline" "$RECIPIENT"; CASES[baseline]=$f
name; s=$(data_file "$f"); trigger "$f.trigger" '<?xml version="1.1" encoding="UTF-8"?>' "$f" "$s" "chaos-xml11-&#1;-ctrl" "$RECIPIENT"; CASES[xml11-control-char]=$f
f=$(long_name 240); s=$(data_file "$f"); trigger "$f.trigger" "$XML10" "$f" "$s" "chaos-name240" "$RECIPIENT"; CASES[filename-240]=$f
f=$(long_name 255); s=$(data_file "$f"); trigger "name255.trigger" "$XML10" "$f" "$s" "chaos-name255" "$RECIPIENT"; CASES[filename-255]=$f
f=".KSD_DST_0561_M03_20260301000099.zip"; s=$(data_file "$f"); trigger "dotname.trigger" "$XML10" "$f" "$s" "chaos-dotname" "$RECIPIENT"; CASES[filename-dot]=$f
name; s=$(data_file "$f"); trigger "$f.trigger" '<?xml version="1.0"?>' "$f" "$s" "chaos-doctype-&x;" "$RECIPIENT" \
  '<!DOCTYPE ns2:Trigger [<!ENTITY x SYSTEM "file:///etc/passwd">]>'; CASES[doctype-external-entity]=$f
name; s=$(data_file "$f"); trigger "$f.trigger" "$XML10" "$f" "$((s + 17))" "chaos-wrongsize" "$RECIPIENT"; CASES[wrong-size]=$f
name; s=$(data_file "$f"); mv "$OUT/$f" "$ROOT/users/$SENDER/$f"
trigger "dotdot.trigger" "$XML10" "../$f" "$s" "chaos-dotdot" "$RECIPIENT"; CASES[dotdot-filename]="../$f"
name; s=$(data_file "$f"); trigger "$f.trigger" "$XML10" "$f" "$s" "chaos-unknownrecipient" "NOBODY-SFTPUser"; CASES[unknown-recipient]=$f
ntriggers=$(find "$OUT" -maxdepth 1 -name '*.trigger' | wc -l)

(cd "$ROOT" && find . -type f | sort) >"$RUN_DIR/before.txt"
code=$(curl -s --max-time 120 -o "$RUN_DIR/scan.txt" -w '%{http_code}' -X POST "http://127.0.0.1:$SCAN_PORT/scan")
[[ $code == 200 ]] && pass "POST /scan answered 200: $(head -1 "$RUN_DIR/scan.txt")" || fail "POST /scan answered $code"
sleep 1
(cd "$ROOT" && find . -type f | sort) >"$RUN_DIR/after.txt"

# --- every trigger answered, every answer well-formed XML 1.0
for c in "${!CASES[@]}"; do
  tag="chaos-${c%%-*}"
  case $c in filename-240) tag=chaos-name240 ;; filename-255) tag=chaos-name255 ;; filename-dot) tag=chaos-dotname ;;
    wrong-size) tag=chaos-wrongsize ;; unknown-recipient) tag=chaos-unknownrecipient ;; dotdot-filename) tag=chaos-dotdot ;;
    xml11-control-char) tag=chaos-xml11 ;; doctype-external-entity) tag=chaos-doctype ;; esac
  receipts=$(grep -l -a -- "$tag" "$IN"/* "$IN"/.[!.]* 2>/dev/null | grep '\.sftpreceipt$')
  byname=$(find "$IN" -maxdepth 1 -name "*.sftpreceipt" | grep -F -- "$(basename "${CASES[$c]}" .zip)" | head -1)
  [[ -z $receipts && -n $byname ]] && receipts=$byname
  if [[ -z $receipts ]]; then
    fail "$c: no receipt in the sender's IN (scan: $(grep -F -- "file=${CASES[$c]} " "$RUN_DIR/scan.txt" | head -1 | sed -E "s/(7{12})7+/\1.../" | cut -c1-200))"
  else
    pass "$c: receipt $(basename "$receipts" | cut -c1-60): $(grep -ao '<Message>[^<]*\|<ErrorCode>[^<]*' "$receipts" | tr '\n' ' ' | cut -c1-80)"
  fi
done
(( $(find "$IN" -maxdepth 1 -name '*.sftpreceipt' | wc -l) >= ntriggers )) || \
  fail "$ntriggers triggers, $(find "$IN" -maxdepth 1 -name '*.sftpreceipt' | wc -l) receipt(s) in $SENDER/IN"
while IFS= read -r doc; do
  rel=${doc#"$ROOT/"}
  if ! err=$(xmllint --noout "$doc" 2>&1); then
    fail "$rel is not well-formed XML: $(echo "$err" | head -2 | tr '\n' ' ' | cut -c1-200)"
  elif head -c 100 "$doc" | grep -q '<?xml version="1.1"'; then
    fail "$rel declares XML 1.1"
  elif LC_ALL=C grep -qP '[\x00-\x08\x0B\x0C\x0E-\x1F]' "$doc"; then
    fail "$rel carries a control character XML 1.0 cannot hold"
  else
    pass "$rel is well-formed XML 1.0"
  fi
done < <(find "$ROOT/users" -type f \( -name '*.sftpreceipt' -o -name '*.metadata' -o -name '*.businessreceipt' \))

hidden=$(find "$ROOT/users/$SENDER/IN" "$DST_IN" -maxdepth 1 -name '.*' ! -name '.*.part' -type f)
[[ -n $hidden ]] && fail "delivered or answered as hidden file(s): $(echo "$hidden" | sed "s|$ROOT/||" | tr '\n' ' ')" \
  || pass "no hidden file in IN"
escaped=$(comm -13 "$RUN_DIR/before.txt" "$RUN_DIR/after.txt" | grep -Ev '^\./users/[^/]+/(IN|OUT)/[^/]+$|^\./mail/' )
[[ -n $escaped ]] && fail "file(s) written outside the users' IN/OUT: $(echo "$escaped" | tr '\n' ' ')" || pass "nothing written outside IN/OUT"
[[ -e "$DST_IN/${CASES[dotdot-filename]#../}" ]] && fail "the data file above OUT (../ in FileName) was delivered to $RECIPIENT"
grep -rl -a 'root:x:0:0' "$ROOT/users" >/dev/null 2>&1 && fail "/etc/passwd content appears in an output (external entity resolved)" \
  || pass "no external entity was resolved into an output"
[[ -e "$DST_IN/${CASES[baseline]}" && -e "$DST_IN/${CASES[baseline]}.metadata" ]] && pass "the baseline trigger was delivered" \
  || fail "the baseline trigger was not delivered (scan: $(grep -F "${CASES[baseline]}" "$RUN_DIR/scan.txt" | head -1 | cut -c1-160))"
kill -0 "$EMULATOR_PID" 2>/dev/null && [[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$SCAN_PORT/scan")" == 200 ]] \
  && pass "the emulator still answers" || fail "the emulator no longer answers after the hostile triggers"
kill "$EMULATOR_PID" 2>/dev/null; wait "$EMULATOR_PID" 2>/dev/null; EMULATOR_PID=""

# --- part 2: typos
# expect_refused LABEL WORD SECONDS COMMAND...: the command must exit non-zero within SECONDS and name WORD
expect_refused() {
  local label=$1 word=$2 limit=$3; shift 3
  local out="$RUN_DIR/typo-${label// /_}.out"
  "$@" >"$out" 2>&1 &
  local pid=$! start=$SECONDS
  # started means accepted: no need to wait out the limit
  while kill -0 "$pid" 2>/dev/null && (( SECONDS - start < limit )) \
    && ! grep -q 'Started Sf1820Application\|emulator listening on' "$out"; do sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null; sleep 5; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    fail "$label: accepted (running after $((SECONDS - start))s; $(grep -m1 -o 'Started [A-Za-z0-9]* in [0-9.]* seconds\|listening on [0-9.:]*' "$out"))"
    return
  fi
  wait "$pid"; local rc=$?
  if (( rc == 0 )); then fail "$label: accepted (exit 0): $(tail -2 "$out" | tr '\n' ' ' | cut -c1-200)"
  elif ! grep -q -- "$word" "$out"; then fail "$label: exit $rc but the message does not name '$word': $(grep -m1 -i 'error\|unknown\|sf1820' "$out" | cut -c1-200)"
  else pass "$label: refused (exit $rc): $(grep -m1 -- "$word" "$out" | cut -c1-160)"; fi
}
if (( TYPOS )); then
  log "part 2: typos"
  SFTP_PORT=$(free_port) SCAN_PORT=$(free_port)
  expect_refused "emulator --sf1820.serviceplatform.scan-intervall=1s" scan-intervall 60 emulator --sf1820.serviceplatform.scan-intervall=1s
  HTTP_PORT=$(free_port)
  expect_refused "run --sf1820.embedded.scan-intervall=1s" scan-intervall 120 \
    env SERVER_PORT="$HTTP_PORT" SF1820_WORK_DIR="$RUN_DIR/typo-work" java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro \
    -jar "$JAR" run --sf1820.work-dir="$RUN_DIR/typo-work" --sf1820.embedded.scan-intervall=1s
  expect_refused "run --stage packager" "stage" 120 \
    env SERVER_PORT="$HTTP_PORT" SF1820_WORK_DIR="$RUN_DIR/typo-work" java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro \
    -jar "$JAR" run --sf1820.work-dir="$RUN_DIR/typo-work" --stage packager
  printf 'cpr;dage\n0101701234;3\n' >"$RUN_DIR/typo.csv"
  expect_refused "submit --resnd" resnd 120 \
    env SF1820_WORK_DIR="$RUN_DIR/typo-work" java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro \
    -jar "$JAR" submit --fagsystem KSD --authority 0561 --period M03 --resnd "$RUN_DIR/typo.csv"
  # a typo run that was accepted may have left its broker behind
  kport=$(sed -n 's/^port=//p' "$RUN_DIR/typo-work/kafka/ports.properties" 2>/dev/null)
  bpid=$([[ -n $kport ]] && ss -ltnpH "sport = :$kport" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  if [[ -n $bpid ]] && grep -q -- "$RUN_DIR/typo-work/kafka" "/proc/$bpid/cmdline" 2>/dev/null; then
    kill "$bpid"; for _ in $(seq 1 40); do kill -0 "$bpid" 2>/dev/null || break; sleep 0.5; done; kill -9 "$bpid" 2>/dev/null
  fi
fi

report hostile-platform.sh; rc=$?
(( rc == 0 && KEEP == 0 )) && { trap - EXIT; rm -rf "$RUN_DIR"; }
exit $rc
