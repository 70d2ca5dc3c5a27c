#!/usr/bin/env bash
# hostile-input.sh: hostile input at the pipeline's own doors, against a running `sf1820 run`.
#
# Drop folder: a FIFO named like an extract (with its .done), a symlink to /etc/hostname (with its .done),
# a symlinked sub-directory, an empty file, a directory named x.csv, a .done without a file, names with a
# newline, invalid UTF-8 and 255 bytes (one empty, so refused: its reason has no room for ".reason"),
# deep nesting, --many files at the wrong depth at once; then a good extract, which must still arrive.
# HTTP: POST /extracts with hostile upload names (../, ..\, absolute, NUL, 300 characters, "/", empty),
# JSON paths (a symlink in the staging area to a file outside, staging/../, NUL, a FIFO), bodies that are no
# JSON or no multipart, wrong content types; the console's actions without CSRF token, with unknown
# transferIds, GET where POST is required; /transfers/{id}/audit with hostile ids. Every answer must be 4xx
# with a reason, never 500, never a stack trace.
# Receipts in KP_SFTPSIMPEL/IN: a directory and a symlink named *.sftpreceipt, a dangling symlink, a BOM,
# UTF-16, 8 MiB, and a failure receipt naming the good KSD transfer's SendersFileId (another sender's);
# then a good KP extract, whose receipt the same poller must still handle.
# Checks: the good extracts delivered; the KSD transfer still SUCCEEDED with one outcome; no file outside
# the staging area at DST; the drop-folder poll never failed a round; every refused drop has a .reason.
#
#   chaos/hostile-input.sh [--many 500] [--wait 240] [--keep]
#
# About 1.5 minutes on this machine.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MANY=500 WAIT=240 KEEP=0
while (( $# )); do
  case $1 in
    --many) MANY=$2; shift ;;
    --wait) WAIT=$2; shift ;;
    --keep) KEEP=1 ;;
    *) echo "hostile-input.sh: unknown option $1 (known: --many N --wait S --keep)" >&2; exit 2 ;;
  esac
  shift
done

ensure_jar
RUN_DIR=$(mktemp -d /tmp/sf1820-chaos-input.XXXXXX)
HTTP_PORT=$(free_port)
trap 'stop_all' EXIT
log "run directory $RUN_DIR"
D="$RUN_DIR/drop"
mkdir -p "$D"
start_pipeline
await_http 300 || { log "the pipeline did not serve HTTP"; exit 2; }
B="http://127.0.0.1:$HTTP_PORT"
S="$RUN_DIR/work/staging"
OUTSIDE="$RUN_DIR/outside"
SECRET="chaos-secret-$RANDOM$RANDOM"
mkdir -p "$OUTSIDE" && printf 'cpr;dage\n%s;1\n' "$SECRET" >"$OUTSIDE/secret.csv"

# ---- drop folder
mkdir -p "$D/KSD/0561/M01" "$D/KSD/0561/K2" "$D/DUBU/0561/M03" "$D/KY/0561/M03" "$D/FBS/0561/M03" "$D/KP/0561/M03"
mkfifo "$D/KSD/0561/M01/fifo.csv" && : >"$D/KSD/0561/M01/fifo.csv.done"
ln -s /etc/hostname "$D/KSD/0561/M01/hostname.csv" && : >"$D/KSD/0561/M01/hostname.csv.done"
ln -s "$OUTSIDE" "$D/KSD/0561/K2/linked"
ln -s "$OUTSIDE" "$D/DUBU/0561/M03/linked.csv"
: >"$D/KY/0561/M03/empty.csv"
mkdir "$D/FBS/0561/M03/dir.csv"
: >"$D/KP/0561/M03/orphan.csv.done"
printf 'cpr;dage\n0101;nl\n' >"$D/KSD/0561/M01/$(printf 'new\nline.csv')"
printf 'cpr;dage\n0101;utf\n' >"$D/KSD/0561/M01/$(printf 'bad\xff\xfe.csv')"
: >"$D/KY/0561/M03/$(printf 'e%.0s' $(seq 251)).csv"
mkdir -p "$D/KSD/0561/M01/a/b/c/d/e/f/g" && printf 'x\n' >"$D/KSD/0561/M01/a/b/c/d/e/f/g/deep.csv"
mkdir -p "$D/KSD/many" && for i in $(seq 1 "$MANY"); do printf 'x%s\n' "$i" >"$D/KSD/many/f$i.csv"; done
log "drop folder: hostile entries and $MANY misplaced files dropped"
sleep 8
GOOD_DROP="chaos-marker-drop-$RANDOM$RANDOM"
mkdir -p "$D/KSD/0561/M03" && printf 'cpr;dage\n%s;1\n' "$GOOD_DROP" >"$D/KSD/0561/M03/good.csv" && : >"$D/KSD/0561/M03/good.csv.done"

# ---- HTTP
: >"$RUN_DIR/http.tsv"
http_case() { # name expected-class curl-args...
  local name=$1 want=$2; shift 2
  local code
  code=$(curl -s -m 60 -o "$RUN_DIR/http-body" -w '%{http_code}' "$@")
  printf '%s\t%s\t%s\n' "$name" "$code" "$(head -c 300 "$RUN_DIR/http-body" | tr '\n\t' '  ')" >>"$RUN_DIR/http.tsv"
  if [[ $code == 5* || $code == 000 ]]; then fail "HTTP $name answered $code: $(head -c 200 "$RUN_DIR/http-body")"
  elif [[ $want == 4xx && $code != 4* ]]; then fail "HTTP $name answered $code, expected 4xx"
  elif grep -aq 'at java\.\|at org\.springframework\|Exception:' "$RUN_DIR/http-body"; then fail "HTTP $name: a stack trace in the answer"
  else pass "HTTP $name: $code"; fi
}
upload_named() { # name period filename (raw bytes via printf %b)
  python3 - "$HTTP_PORT" "$2" "$3" "$SECRET" >"$RUN_DIR/http-body.status" <<'EOF'
import sys, http.client
port, period, name, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode('latin1').decode('unicode_escape').encode('latin1'), sys.argv[4]
b = b'chaosBoundary'
body = b''.join(b'--' + b + b'\r\nContent-Disposition: form-data; name="' + k + b'"\r\n\r\n' + v + b'\r\n'
                for k, v in [(b'fagsystem', b'KSD'), (b'authority', b'0561'), (b'period', period.encode())])
body += b'--' + b + b'\r\nContent-Disposition: form-data; name="file"; filename="' + name + b'"\r\n\r\ncpr;dage\r\n' + period.encode() + b';1\r\n--' + b + b'--\r\n'
c = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
c.request('POST', '/extracts', body, {'Content-Type': 'multipart/form-data; boundary=' + b.decode()})
r = c.getresponse(); sys.stdout.write(str(r.status) + '\t' + r.read()[:300].decode('utf-8', 'replace').replace('\n', ' '))
EOF
  local line code; line=$(cat "$RUN_DIR/http-body.status"); code=${line%%$'\t'*}
  printf '%s\t%s\n' "upload-name-$1" "$line" >>"$RUN_DIR/http.tsv"
  if [[ $code == 5* || -z $code ]]; then fail "HTTP upload name $1 answered ${code:-nothing}: ${line#*$'\t'}"
  elif [[ ${4:-} == 4xx && $code != 4* ]]; then fail "HTTP upload name $1 answered $code, expected 4xx"
  else pass "HTTP upload name $1: $code"; fi
}
upload_named dotdot-slash 2026M01 '../x.csv'
upload_named dotdot-backslash 2026M02 '..\\y.csv'
upload_named absolute 2026M04 '/etc/z.csv'
upload_named nul 2026M05 'a\x00b.csv' 4xx
upload_named newline 2026M06 'a\nb.csv' 4xx
upload_named name-300 2026M07 "$(printf 'a%.0s' $(seq 300)).csv" 4xx
upload_named slash-only 2026M08 '/' 4xx
upload_named empty 2026M09 '' 4xx
mkdir -p "$S/inbox" && ln -s "$OUTSIDE/secret.csv" "$S/inbox/link.csv" && ln -s "$OUTSIDE" "$S/inbox/linkdir" && mkfifo "$S/inbox/fifo.csv"
J=(-H 'Content-Type: application/json')
json() { printf '{"fagsystem":"KSD","authority":"0561","period":"K3","path":"%s"}' "$1"; }
http_case json-symlink-out 4xx "${J[@]}" -d "$(json "$S/inbox/link.csv")" "$B/extracts"
http_case json-symlinked-dir 4xx "${J[@]}" -d "$(json "$S/inbox/linkdir/secret.csv")" "$B/extracts"
http_case json-dotdot 4xx "${J[@]}" -d "$(json "$S/../outside/secret.csv")" "$B/extracts"
http_case json-nul 4xx "${J[@]}" -d "$(json "$S/inbox/a\\u0000b")" "$B/extracts"
http_case json-fifo 4xx "${J[@]}" -d "$(json "$S/inbox/fifo.csv")" "$B/extracts"
http_case json-long 4xx "${J[@]}" -d "$(json "$S/inbox/$(printf 'l%.0s' $(seq 300))")" "$B/extracts"
http_case json-invalid 4xx "${J[@]}" -d '{"fagsystem":' "$B/extracts"
http_case json-null 4xx "${J[@]}" -d 'null' "$B/extracts"
head -c 20000000 /dev/zero | tr '\0' '[' >"$RUN_DIR/huge.json"
http_case json-huge 4xx "${J[@]}" --data-binary "@$RUN_DIR/huge.json" "$B/extracts"
http_case multipart-no-boundary 4xx -H 'Content-Type: multipart/form-data' -d 'garbage' "$B/extracts"
http_case multipart-no-file 4xx -F fagsystem=KSD -F authority=0561 -F period=M03 "$B/extracts"
http_case text-plain 4xx -H 'Content-Type: text/plain' -d x "$B/extracts"
http_case get-extracts 4xx "$B/extracts"
http_case resend-no-csrf 4xx "${J[@]}" -d '{"reason":"x"}' "$B/actions/transfers/abc/resend"
curl -s -m 30 -c "$RUN_DIR/cookies" -o /dev/null "$B/"
TOKEN=$(awk '/XSRF-TOKEN/ {print $7}' "$RUN_DIR/cookies")
C=(-b "$RUN_DIR/cookies" -H "X-XSRF-TOKEN: $TOKEN")
http_case resend-unknown 4xx "${C[@]}" "${J[@]}" -d '{"reason":"x"}' "$B/actions/transfers/no-such-transfer/resend"
http_case resend-null-body 4xx "${C[@]}" "${J[@]}" -d 'null' "$B/actions/transfers/abc/resend"
http_case resend-get 4xx "$B/actions/transfers/abc/resend"
http_case replay-not-dlt 4xx "${C[@]}" "${J[@]}" -d '{"topic":"sf1820.extract.ready","partition":0,"offset":0,"reason":"x"}' "$B/actions/dead-letters/replay"
http_case replay-null 4xx "${C[@]}" "${J[@]}" -d 'null' "$B/actions/dead-letters/replay"
http_case audit-dotdot 4xx "$B/transfers/%2e%2e%2f%2e%2e%2fetc%2fpasswd/audit"
http_case audit-nul 4xx "$B/transfers/a%00b/audit"
http_case audit-unknown 4xx "$B/transfers/no-such-transfer/audit"
http_case transfers-bad-state 4xx "$B/transfers?state=DELIVERD"
http_case transfers-bad-limit 4xx "$B/transfers?limit=abc"
grep -q 'no transfer with id or data file name' <(curl -s -m 30 "$B/transfers/no-such-transfer/audit") \
  && pass "an unknown transfer's 404 says why" || fail "an unknown transfer's 404 does not say why"

# ---- receipts in KP's IN, then a good KP extract through the same poller
IN="$RUN_DIR/work/serviceplatform/users/KP_SFTPSIMPEL/IN"
await_ksd() { local s; for _ in $(seq 1 "$WAIT"); do s=$(status_json); grep -q "\"$1\"" <<<"$s" && grep -q "$2" <<<"$(grep -o "\"transferId\":\"$1\"[^}]*" <<<"$s")" && return 0; sleep 1; done; return 1; }
KSD_ID=""
for _ in $(seq 1 "$WAIT"); do
  KSD_ID=$(status_json | grep -o '"transferId":"[^"]*","fagsystem":"KSD","authority":"0561","period":"M03"' | head -1 | cut -d'"' -f4)
  [[ -n $KSD_ID ]] && break; sleep 1
done
await_ksd "$KSD_ID" SUCCEEDED && pass "the good drop after the hostile ones delivered ($KSD_ID)" || fail "the good drop (KSD 0561 M03) was not delivered"
mkdir -p "$IN/AAA-dir.sftpreceipt"
ln -s /etc/passwd "$IN/AAB-link.sftpreceipt"
ln -s /nonexistent "$IN/AAC-dangling.sftpreceipt"
python3 - "$IN" "$KSD_ID" <<'EOF'
import sys
d, ksd = sys.argv[1], sys.argv[2]
x = ('<?xml version="1.0" encoding="UTF-8"?><ns2:TechnicalReceipt xmlns:ns2="http://serviceplatformen.dk/xml/wsdl/soap11/SFTP/1/types">'
     '<FileTransferUUID>u-1</FileTransferUUID><SendersFileId>%s</SendersFileId>%s</ns2:TechnicalReceipt>')
ok = '<Receipt><Message>SUCCESS</Message></Receipt>'
bad = '<ErrorMessage><ErrorCode>301</ErrorCode><ErrorCodeDescription>forged</ErrorCodeDescription><ErrorDescription>forged</ErrorDescription></ErrorMessage>'
open(d + '/AAD-bom.sftpreceipt', 'wb').write(b'\xef\xbb\xbf' + (x % ('bom-1', ok)).encode())
open(d + '/AAE-utf16.sftpreceipt', 'wb').write((x % ('utf16-1', ok)).replace('UTF-8', 'UTF-16').encode('utf-16'))
open(d + '/AAF-big.sftpreceipt', 'w').write((x % ('big-1', ok)).replace('<Receipt>', '<!-- ' + 'x' * (8 << 20) + ' --><Receipt>'))
open(d + '/KSD_DST_0561_M03_20260101000000.zip.sftpreceipt', 'w').write(x % (ksd, bad))
EOF
GOOD_KP="chaos-marker-kp-$RANDOM$RANDOM"
printf 'cpr;dage\n%s;1\n' "$GOOD_KP" >"$RUN_DIR/kp.csv"
KP_ID=$(curl -s -m 60 -F fagsystem=KP -F authority=0561 -F period=2026Y -F "file=@$RUN_DIR/kp.csv" "$B/extracts" | grep -o '"transferId":"[^"]*"' | cut -d'"' -f4)
[[ -n $KP_ID ]] && await_ksd "$KP_ID" SUCCEEDED && pass "a KP extract after the hostile receipts delivered" \
  || fail "the KP extract after the hostile receipts was not delivered (${KP_ID:-no transferId})"
sleep 5
[[ "$(grep -o "\"transferId\":\"$KSD_ID\"[^}]*" <<<"$(status_json)")" == *SUCCEEDED* ]] \
  && pass "the KSD transfer is still SUCCEEDED after another sender's receipt named it" || fail "another sender's receipt changed the KSD transfer"
[[ -f "$IN/KSD_DST_0561_M03_20260101000000.zip.sftpreceipt" ]] && pass "the receipt naming another sender's transfer is kept in IN" \
  || fail "the receipt naming another sender's transfer left IN"
grep -aq "names a transfer uploaded by KSD_SFTPSIMPEL" "$RUN_DIR/pipeline.out" && pass "its log names the rule" || fail "no log line names the rule for another sender's receipt"
grep -aq "AAF-big.sftpreceipt reason=the file is [0-9]* bytes, more than the" "$RUN_DIR/pipeline.out" \
  && pass "the 8 MiB receipt kept unread, the log naming the rule" || fail "no log line says the 8 MiB receipt was kept unread"

# ---- what the drop folder did
sleep 3
n=$(grep -ac 'polling round failed schedule=extractor-drop-folder' "$RUN_DIR/pipeline.out")
(( n == 0 )) && pass "no drop-folder round failed" || fail "$n drop-folder rounds failed"
[[ -f "$D/KY/0561/M03/$(printf 'e%.0s' $(seq 251)).csv" ]] && fail "the 255-byte empty drop is still in the drop folder" || pass "the 255-byte empty drop was taken"
ls "$D/refused/KY/0561/M03/" 2>/dev/null | grep -q '^eeee.*-[0-9a-f]\{12\}\.reason$' && pass "the 255-byte drop refused with its reason" || fail "no reason for the 255-byte drop"
[[ -f "$D/refused/KY/0561/M03/empty.csv.reason" ]] && pass "the empty drop refused with its reason" || fail "no reason for the empty drop"
r=$(find "$D/refused/KSD/many" -name '*.reason' 2>/dev/null | wc -l)
(( r == MANY )) && pass "$MANY misplaced drops refused, each with its reason" || fail "$r of $MANY misplaced drops refused with a reason"
[[ -z "$(find "$D/processing" -type f)" ]] && pass "nothing left in processing/" || fail "files left in processing/: $(find "$D/processing" -type f | head -3)"
markers=$(dst_markers | sort | tr '\n' ' ')
[[ $markers == *"$GOOD_DROP"* && $markers == *"$GOOD_KP"* ]] && pass "both good extracts' markers at DST" || fail "markers at DST: $markers"
if find "$RUN_DIR/work/dst" "$RUN_DIR/work/serviceplatform/users" -type f -name '*.zip' -exec unzip -p {} \; 2>/dev/null | grep -aq "$SECRET\|$(cat /etc/hostname)"; then
  fail "a file from outside the staging area reached the platform or DST"
else pass "nothing from outside the staging area reached the platform or DST"; fi
kill -0 "$PIPELINE_PID" 2>/dev/null && pass "the pipeline is still running" || fail "the pipeline stopped"

report hostile-input.sh; rc=$?
(( rc == 0 && KEEP == 0 )) && { stop_all; rm -rf "$RUN_DIR"; }
exit $rc
