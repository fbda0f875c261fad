#!/usr/bin/env bash
# cli_foundation.sh: the `stipple` command line end to end: help, exit
# codes, the headless demo, grading a trace and a CSV, determinism, damaged
# input named with its place, and the no-display message.
# Usage: cli_foundation.sh PATH/TO/stipple
set -u
STIPPLE=$1
TMP=$(mktemp -d "${STIPPLE_TEST_TMP:-/tmp}/cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
LESSON=${STIPPLE_ASSETS:?}/lessons/pad-even-spacing.yaml
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_rc() { # expect_rc WANT DESCRIPTION -- CMD...
  local want=$1 what=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want; stderr: $(head -c 400 "$TMP/err")"
}

# help everywhere
expect_rc 0 "--help" -- "$STIPPLE" --help
for cmd in simulate demo grade lesson; do
  grep -q "^  $cmd " "$TMP/out" || fail "--help does not list $cmd"
done
for cmd in demo grade lesson; do
  expect_rc 0 "$cmd --help" -- "$STIPPLE" "$cmd" --help
  grep -q "usage: stipple $cmd" "$TMP/out" || fail "$cmd --help prints no usage"
done
expect_rc 2 "unknown command" -- "$STIPPLE" frobnicate
grep -q "unknown command 'frobnicate'" "$TMP/err" || fail "unknown command not named"

# no display: one clear line pointing to the demo
expect_rc 1 "no display" -- env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$STIPPLE"
[ "$(wc -l <"$TMP/err")" = 1 ] || fail "no-display message is not one line: $(cat "$TMP/err")"
grep -q "no display available" "$TMP/err" && grep -q "stipple demo" "$TMP/err" ||
  fail "no-display message: $(cat "$TMP/err")"

# the demo writes a trace, a grade and pictures, and says where
expect_rc 0 "demo" -- "$STIPPLE" demo --out "$TMP/demo" --size 320x200
for f in demo.trace grade.json healed.png fresh.png; do
  [ -s "$TMP/demo/$f" ] || fail "demo did not write $f"
  grep -q "$TMP/demo/$f" "$TMP/out" || fail "demo did not print where $f is"
done
head -c 8 "$TMP/demo/healed.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "healed.png is not a PNG"

# re-grading the recorded trace gives the demo's grade, byte for byte
expect_rc 0 "grade trace" -- "$STIPPLE" grade --lesson "$LESSON" --trace "$TMP/demo/demo.trace" --json
cp "$TMP/out" "$TMP/grade1.json"
cmp -s "$TMP/grade1.json" "$TMP/demo/grade.json" || fail "re-grade differs from the demo's grade"
expect_rc 0 "grade trace again" -- "$STIPPLE" grade --lesson "$LESSON" --trace "$TMP/demo/demo.trace" --json
cmp -s "$TMP/out" "$TMP/grade1.json" || fail "grading twice gives different bytes"
for key in '"score":' '"passed":' '"impressions":' '"depth":' '"in_band":' '"too_shallow":' \
           '"too_deep":' '"density":' '"per_cm2":' '"hash":'; do
  grep -q "$key" "$TMP/grade1.json" || fail "grade JSON lacks $key"
done
# the same seed gives the same trace; the demo is deterministic
expect_rc 0 "demo again" -- "$STIPPLE" demo --out "$TMP/demo2" --size 64x64
cmp -s "$TMP/demo/demo.trace" "$TMP/demo2/demo.trace" || fail "the demo trace is not reproducible"

# a truncated trace is graded up to its last whole block, with a warning
size=$(stat -c %s "$TMP/demo/demo.trace")
head -c $((size - 1000)) "$TMP/demo/demo.trace" >"$TMP/cut.trace"
expect_rc 0 "grade truncated" -- "$STIPPLE" grade --lesson "$LESSON" --trace "$TMP/cut.trace" --json
grep -q "warning: .*cut.trace.*truncated" "$TMP/err" || fail "truncation not reported: $(cat "$TMP/err")"

# a trace recorded for another lesson is graded with a warning naming both
HASH=$("$STIPPLE" lesson hash "$LESSON" | awk '{print $1}')
expect_rc 0 "grade on another lesson" -- "$STIPPLE" grade --lesson "${STIPPLE_ASSETS}/lessons/head-frontal-shaved.yaml" --trace "$TMP/demo/demo.trace"
grep -q "warning: .*demo.trace was recorded for lesson ${HASH:0:12}\.\.\., not " "$TMP/err" ||
  fail "other lesson not named: $(cat "$TMP/err")"

# a damaged trace is refused with the file and byte
cp "$TMP/demo/demo.trace" "$TMP/bad.trace"
printf '\xff\xff\xff\xff' | dd of="$TMP/bad.trace" bs=1 seek=5000 conv=notrunc status=none
expect_rc 2 "grade damaged" -- "$STIPPLE" grade --lesson "$LESSON" --trace "$TMP/bad.trace"
grep -q "bad.trace: byte [0-9]*: damaged trace" "$TMP/err" || fail "damage not located: $(cat "$TMP/err")"
[ "$(wc -l <"$TMP/err")" = 1 ] || fail "damaged-trace error is not one line"

# impressions from a CSV: known counts
cat >"$TMP/dots.csv" <<'CSV'
x_mm,y_mm,z_mm,depth_mm
30,40,0,0.8
40,40,0,0.9
50,40,0,0.03
60,40,0,2.5
CSV
expect_rc 0 "grade csv" -- "$STIPPLE" grade --lesson "$LESSON" --impressions "$TMP/dots.csv" --json
grep -q '"impressions": *4' "$TMP/out" || fail "csv: impressions count: $(cat "$TMP/out")"
grep -q '"in_band": *2' "$TMP/out" || fail "csv: in_band"
grep -q '"too_shallow": *1' "$TMP/out" || fail "csv: too_shallow"
grep -q '"too_deep": *1' "$TMP/out" || fail "csv: too_deep"

# bad usage and bad input: exit 2, one line naming the file
expect_rc 2 "grade without lesson" -- "$STIPPLE" grade --trace "$TMP/demo/demo.trace"
expect_rc 2 "grade with both inputs" -- "$STIPPLE" grade --lesson "$LESSON" --trace a --impressions b
expect_rc 2 "grade missing trace" -- "$STIPPLE" grade --lesson "$LESSON" --trace "$TMP/nope.trace"
grep -q "nope.trace" "$TMP/err" || fail "missing trace not named"
expect_rc 2 "grade missing lesson" -- "$STIPPLE" grade --lesson "$TMP/nope.yaml" --trace "$TMP/demo/demo.trace"
grep -q "nope.yaml" "$TMP/err" || fail "missing lesson not named"

# lesson validate
expect_rc 0 "validate default lesson" -- "$STIPPLE" lesson validate "$LESSON"
printf 'stipple_lesson: 1\nid: broken\ntitle: Broken\nversion: 1\nsurface: {type: pad}\nzones: []\nrubric: {pass_mark: 170}\n' >"$TMP/broken.yaml"
expect_rc 2 "validate broken lesson" -- "$STIPPLE" lesson validate "$TMP/broken.yaml"
grep -q "broken.yaml:[0-9]*:[0-9]*: error: " "$TMP/err" || fail "lesson errors lack FILE:LINE:COL: $(cat "$TMP/err")"
[ "$(grep -c "broken.yaml:" "$TMP/err")" -ge 2 ] || fail "validate did not report every error: $(cat "$TMP/err")"

# a client who must be refused: the demo's virtual trainee refuses, and passes
expect_rc 0 "demo refused client" -- "$STIPPLE" demo --out "$TMP/refuse" --size 64x64 \
  --lesson "$STIPPLE_ASSETS/lessons/client-refuse-autoimmune.yaml"
grep -q "must be refused" "$TMP/out" || fail "demo did not refuse: $(cat "$TMP/out")"
grep -q '"impressions":0' "$TMP/refuse/grade.json" || fail "refused demo placed dots"
grep -q '"passed":true' "$TMP/refuse/grade.json" || fail "refusing did not pass"

[ "$failures" = 0 ] && echo "cli_foundation: all checks passed"
exit $((failures > 0))
