#!/usr/bin/env bash
# cli_records.sh: `stipple record` and `stipple records` end to end: help,
# recording practice and exam attempts from a trace (pinning, registration),
# list/show/history, verify (clean, then a tampered score when the sqlite3
# shell is there), a report with a certificate, export -> verify -> import
# on a second station (refused until the exporting station is trusted there:
# --trust, trust add/remove/list), the station key's permissions, and a
# recording killed with SIGKILL that the next start recovers.
# Usage: cli_records.sh PATH/TO/stipple
set -u
STIPPLE=$1
TMP=$(mktemp -d "${STIPPLE_TEST_TMP:-/tmp}/clirec.XXXXXX")
trap 'kill -9 $PACED 2>/dev/null; rm -rf "$TMP"' EXIT
PACED=
export XDG_DATA_HOME=$TMP/xdg
LESSON=${STIPPLE_ASSETS:?}/lessons/pad-even-spacing.yaml
DB=$TMP/xdg/stipple/records/records.db
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_rc() { # expect_rc WANT DESCRIPTION -- CMD...
  local want=$1 what=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want; stderr: $(head -c 600 "$TMP/err")"
}
has() { grep -q -- "$1" "$2" || fail "$3: '$1' not in $(head -c 600 "$2")"; }

# help
expect_rc 0 "--help" -- "$STIPPLE" --help
has "^  record " "$TMP/out" "--help lists record"
has "^  records " "$TMP/out" "--help lists records"
expect_rc 0 "record --help" -- "$STIPPLE" record --help
has "usage: stipple record" "$TMP/out" "record --help"
expect_rc 0 "records --help" -- "$STIPPLE" records --help
has "usage: stipple records" "$TMP/out" "records --help"
expect_rc 2 "record without options" -- "$STIPPLE" record
expect_rc 2 "records unknown subcommand" -- "$STIPPLE" records frob
has "unknown subcommand 'frob'" "$TMP/err" "unknown subcommand named"
expect_rc 2 "records list before any record" -- "$STIPPLE" records list
has "no records database at" "$TMP/err" "missing database named"

# a trace to record
expect_rc 0 "demo" -- "$STIPPLE" demo --out "$TMP/demo" --size 64x64
TRACE=$TMP/demo/demo.trace
HASH=$("$STIPPLE" lesson hash "$LESSON" | awk '{print $1}')
[ ${#HASH} = 64 ] || fail "lesson hash: '$HASH'"

# practice: the default database and a key made on first use
expect_rc 0 "record practice" -- "$STIPPLE" record --lesson "$LESSON" --trainee T-1 --trace "$TRACE"
has "recorded #1 " "$TMP/out" "record prints the attempt"
has "created the station key" "$TMP/err" "first use creates the key"
[ -f "$DB" ] || fail "no database at the XDG default"
KEY=$TMP/xdg/stipple/keys/station.key
[ "$(stat -c %a "$KEY")" = 600 ] || fail "key mode $(stat -c %a "$KEY")"
[ "$(stat -c %a "$(dirname "$KEY")")" = 700 ] || fail "key folder mode"
grep -q "seed" "$TMP/out" "$TMP/err" && fail "the secret seed was printed"

# exams: pinned lesson, registered trainee
expect_rc 2 "exam unpinned" -- "$STIPPLE" record --exam --lesson "$LESSON" --trainee T-2 --trace "$TRACE"
has "pinned by its hash" "$TMP/err" "unpinned exam refused"
expect_rc 2 "exam wrong pin" -- "$STIPPLE" record --exam --lesson "$LESSON" --lesson-hash 0000 --trainee T-2 --trace "$TRACE"
expect_rc 2 "exam unregistered" -- "$STIPPLE" record --exam --lesson "$LESSON" --lesson-hash "$HASH" --trainee T-2 --trace "$TRACE"
has "records trainee add T-2" "$TMP/err" "unregistered trainee told how to register"
expect_rc 0 "register" -- "$STIPPLE" records trainee add T-2 --name "Tess Two"
expect_rc 0 "exam pinned by file+hash" -- "$STIPPLE" record --exam --lesson "$LESSON" --lesson-hash "$HASH" --trainee T-2 --trace "$TRACE" --instructor I-1
has "exam session 1: finished" "$TMP/out" "exam recorded"
expect_rc 0 "exam pinned by stored hash" -- "$STIPPLE" record --exam --lesson "${HASH:0:12}" --trainee T-2 --trace "$TRACE" --time-limit 1
has "exam session 2: timed_out" "$TMP/out" "the time limit ends the exam"
has "time limit of 60 s is reached" "$TMP/err" "time limit said"

# list, show, history
expect_rc 0 "list" -- "$STIPPLE" records list
has "3 attempts" "$TMP/out" "list counts"
expect_rc 0 "list exams as JSON" -- "$STIPPLE" records list --mode exam --json
[ "$(wc -l <"$TMP/out")" = 2 ] || fail "two exams expected: $(cat "$TMP/out")"
has '"trainee":"T-2"' "$TMP/out" "list JSON"
expect_rc 0 "list by day" -- "$STIPPLE" records list --since 2000-01-01 --until 2000-01-02
has "0 attempts" "$TMP/out" "date filter"
expect_rc 2 "bad date" -- "$STIPPLE" records list --since yesterday
expect_rc 0 "show" -- "$STIPPLE" records show 2
has "signed by   station" "$TMP/out" "show prints the signature"
has " begun " "$TMP/out" "show prints the audit events"
has "instructor  I-1" "$TMP/out" "show prints the instructor"
expect_rc 2 "show missing" -- "$STIPPLE" records show 99
expect_rc 0 "history" -- "$STIPPLE" records history T-2
has "total" "$TMP/out" "history header"
has "depth" "$TMP/out" "history per metric"
[ "$(grep -c exam "$TMP/out")" = 2 ] || fail "history rows: $(cat "$TMP/out")"

# verify: clean, then (with the sqlite3 shell) a tampered score
expect_rc 0 "verify clean" -- "$STIPPLE" records verify --progress
has "verified: 3 attempts checked, 3 re-graded" "$TMP/out" "verify summary"
has "verifying \[" "$TMP/err" "progress bar"
if command -v sqlite3 >/dev/null; then
  cp "$DB" "$TMP/tampered.db"
  sqlite3 "$TMP/tampered.db" "UPDATE attempts SET score = 99 WHERE id = 2" || fail "sqlite3 edit"
  expect_rc 1 "verify tampered" -- "$STIPPLE" records --db "$TMP/tampered.db" verify
  has "FAIL attempt #2" "$TMP/out" "tampered attempt named"
  has "score: signed" "$TMP/out" "tampered field named"
  # no certificate for an attempt that does not verify (the edited score
  # would be printed on it); the report itself is still written
  expect_rc 1 "report on a tampered exam" -- "$STIPPLE" records --db "$TMP/tampered.db" report 2 --out "$TMP/rep-tampered" --size 160x100
  [ -s "$TMP/rep-tampered/attempt-2.pdf" ] || fail "the report of a tampered attempt was not written"
  [ -e "$TMP/rep-tampered/certificate-2.pdf" ] && fail "a tampered exam got a certificate"
  has "no certificate for attempt #2" "$TMP/err" "certificate refusal named"
  # an exam pinned by a stored hash whose stored text was edited (it now
  # hashes differently) is refused, never recorded on the edited lesson,
  # even with a trace made for the edited lesson
  sed 's/pass_mark: 70/pass_mark: 5/' "$LESSON" >"$TMP/easy.yaml"
  expect_rc 0 "demo on the edited lesson" -- "$STIPPLE" demo --lesson "$TMP/easy.yaml" --out "$TMP/easy" --size 64x64
  cp "$DB" "$TMP/lesson-edited.db"
  sqlite3 "$TMP/lesson-edited.db" "UPDATE lessons SET text = replace(text, 'pass_mark: 70', 'pass_mark: 5')" ||
    fail "sqlite3 lesson edit"
  expect_rc 2 "exam on an edited stored lesson" -- "$STIPPLE" record --db "$TMP/lesson-edited.db" --exam --lesson "${HASH:0:12}" --trainee T-2 --trace "$TMP/easy/demo.trace"
  has "not the pinned ${HASH:0:12}" "$TMP/err" "edited stored lesson refused"
fi

# report and certificate
expect_rc 0 "report" -- "$STIPPLE" records report 2 --out "$TMP/rep" --size 160x100
for f in attempt-2.pdf attempt-2.png certificate-2.pdf; do
  [ -s "$TMP/rep/$f" ] || fail "report did not write $f"
done
head -c 5 "$TMP/rep/attempt-2.pdf" | grep -q "%PDF-" || fail "report is not a PDF"
expect_rc 0 "report practice" -- "$STIPPLE" records report 1 --out "$TMP/rep" --size 160x100
[ -e "$TMP/rep/certificate-1.pdf" ] && fail "a practice attempt got a certificate"

# export -> verify offline -> import elsewhere, trusting this station's key
expect_rc 0 "public key" -- "$STIPPLE" records key --out "$TMP/station.pub"
has "fingerprint" "$TMP/station.pub" "public key file"
grep -q seed "$TMP/station.pub" && fail "the public key file holds the seed"
expect_rc 0 "export" -- "$STIPPLE" records export --out "$TMP/exams.stpb" --mode exam
has "exported 2 attempts" "$TMP/out" "export count"
expect_rc 0 "verify bundle" -- "$STIPPLE" records --db "$TMP/exams.stpb" verify --trust "$TMP/station.pub"
expect_rc 2 "import from an untrusted station" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" import "$TMP/exams.stpb"
has "which this database does not trust" "$TMP/err" "untrusted bundle refused"
has "--trust PUB" "$TMP/err" "refusal says how to trust"
expect_rc 0 "import" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" import "$TMP/exams.stpb" --trust "$TMP/station.pub"
has "imported 2 attempts" "$TMP/out" "import count"
expect_rc 0 "trust list" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" trust list
has "$(sed -n 's/^fingerprint //p' "$TMP/station.pub").*  trusted" "$TMP/out" "imported station trusted"
expect_rc 0 "verify imported, trusting what this database trusts" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" verify
expect_rc 0 "trust remove" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" trust remove "$TMP/station.pub"
expect_rc 1 "verify after distrusting" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" verify
has "which this database does not trust" "$TMP/out" "untrusted attempts named"
expect_rc 0 "trust add" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" trust add "$TMP/station.pub"
has "trusted station" "$TMP/out" "trust add said"
expect_rc 2 "trust without a key file" -- "$STIPPLE" records --db "$TMP/other.db" trust add "$TMP/nope.pub"
expect_rc 0 "verify imported" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" verify --trust "$TMP/station.pub"
"$STIPPLE" records key --key "$TMP/other.key" --out "$TMP/other.pub" >/dev/null 2>&1
expect_rc 1 "verify with only a foreign key trusted" -- "$STIPPLE" records --db "$TMP/other.db" --key "$TMP/other.key" verify --trust "$TMP/other.pub"
has "not one of the trusted keys" "$TMP/out" "untrusted station named"

# the key's permissions are checked
chmod 644 "$KEY"
expect_rc 1 "loose key" -- "$STIPPLE" record --lesson "$LESSON" --trainee T-1 --trace "$TRACE"
has "chmod 600" "$TMP/err" "loose key refused with the fix"
chmod 600 "$KEY"

# SIGKILL mid-attempt: the next start recovers it, at most a second lost
"$STIPPLE" record --lesson "$LESSON" --trainee T-9 --trace "$TRACE" --pace 1 >"$TMP/paced.out" 2>&1 &
PACED=$!
sleep 3
kill -9 $PACED; wait $PACED 2>/dev/null; PACED=
expect_rc 0 "list after the crash" -- "$STIPPLE" records list --trainee T-9 --json
has "recovered attempt" "$TMP/err" "recovery announced"
has '"outcome":"interrupted"' "$TMP/out" "recovered as interrupted"
samples=$(sed -n 's/.*"trace_samples":\([0-9]*\).*/\1/p' "$TMP/out")
# about 3 s at 1 kHz were fed; at most the last second is missing
[ -n "$samples" ] && [ "$samples" -ge 1000 ] || fail "recovered $samples samples"
expect_rc 0 "verify after recovery" -- "$STIPPLE" records verify

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "cli_records: all passed"
