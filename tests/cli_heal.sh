#!/usr/bin/env bash
# cli_heal.sh: `stipple heal` end to end: help and usage errors, the JSON
# (every impression in input order, classes, known cases), determinism,
# a second session, the aging projection, and bad tissue named with its place.
# Usage: cli_heal.sh PATH/TO/stipple
set -u
STIPPLE=$1
TMP=$(mktemp -d "${STIPPLE_TEST_TMP:-/tmp}/heal.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
GOLDEN=${STIPPLE_ASSETS:?}/../tests/golden
PAD=$GOLDEN/heal_pad.yaml
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_rc() { # expect_rc WANT DESCRIPTION -- CMD...
  local want=$1 what=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want; stderr: $(head -c 400 "$TMP/err")"
}

expect_rc 0 "--help lists heal" -- "$STIPPLE" --help
grep -q "^  heal " "$TMP/out" || fail "--help does not list heal"
expect_rc 0 "heal --help" -- "$STIPPLE" heal --help
grep -q "usage: stipple heal" "$TMP/out" || fail "heal --help prints no usage"
expect_rc 2 "no input" -- "$STIPPLE" heal --lesson "$PAD" --out "$TMP/x.png"
grep -q "are required" "$TMP/err" || fail "missing input not explained: $(cat "$TMP/err")"
expect_rc 2 "bad years" -- "$STIPPLE" heal --lesson "$PAD" --impressions "$GOLDEN/heal_pad.csv" \
  --out "$TMP/x.png" --years 99
grep -q "years must be a number from 0 to 60" "$TMP/err" || fail "bad --years: $(cat "$TMP/err")"
expect_rc 2 "missing csv" -- "$STIPPLE" heal --lesson "$PAD" --impressions "$TMP/none.csv" --out "$TMP/x.png"

# the reference set: a picture and one JSON record per impression, in order
expect_rc 0 "heal pad" -- "$STIPPLE" heal --lesson "$PAD" --impressions "$GOLDEN/heal_pad.csv" \
  --out "$TMP/pad.png" --size 320x200 --json
[ -s "$TMP/pad.png" ] || fail "no picture"
cp "$TMP/out" "$TMP/pad.json"
rows=$(($(wc -l <"$GOLDEN/heal_pad.csv") - 1))
[ "$(grep -o '"index":' "$TMP/pad.json" | wc -l)" = "$rows" ] || fail "not one record per impression"
grep -q '^{"sim_version":3,"lesson":{"id":"heal-reference-pad"' "$TMP/pad.json" ||
  fail "JSON head: $(head -c 200 "$TMP/pad.json")"
for key in class diameter_mm darkness hue_shift depth_class; do
  grep -q "\"$key\":" "$TMP/pad.json" || fail "JSON lacks $key"
done
# known cases: row 1 is 0.03, 0.05 ... 3.0 mm on normal skin
grep -q '{"index":1,"session":0,"class":"faded","depth_class":"lost"' "$TMP/pad.json" ||
  fail "0.05 mm does not fade"
grep -q '{"index":6,"session":0,"class":"crisp","depth_class":"band"' "$TMP/pad.json" ||
  fail "0.8 mm is not crisp in the band"
grep -q '{"index":14,"session":0,"class":"blowout"' "$TMP/pad.json" || fail "2.5 mm is not a blowout"
# 0.8 mm on the 1 mm thick strip scar is deep: it blurs
grep -q '{"index":30,"session":0,"class":"blurred","depth_class":"deep"' "$TMP/pad.json" ||
  fail "0.8 mm in the scar does not blur"

# the same input gives the same bytes
expect_rc 0 "heal again" -- "$STIPPLE" heal --lesson "$PAD" --impressions "$GOLDEN/heal_pad.csv" \
  --out "$TMP/pad2.png" --size 320x200 --json
cmp -s "$TMP/out" "$TMP/pad.json" || fail "JSON differs between runs"
cmp -s "$TMP/pad.png" "$TMP/pad2.png" || fail "picture differs between runs"

# a second session lands on the first
expect_rc 0 "two sessions" -- "$STIPPLE" heal --lesson "$PAD" --impressions "$GOLDEN/heal_pad.csv" \
  --impressions "$GOLDEN/heal_pad_session2.csv" --out "$TMP/s2.png" --size 320x200 --json
grep -q '"session":1' "$TMP/out" || fail "no second session in the JSON"

# a lighter pigment for the first session heals lighter; a missing one is named
expect_rc 0 "light pigment" -- "$STIPPLE" heal --lesson "$PAD" --impressions "$GOLDEN/heal_pad.csv" \
  --pigment carbon-black-light --machine rotary --out "$TMP/light.png" --size 320x200 --json
grep -q '{"index":6,[^}]*"darkness":0.808' "$TMP/out" || fail "the light pigment is not lighter"
expect_rc 2 "missing pigment" -- "$STIPPLE" heal --lesson "$PAD" --impressions "$GOLDEN/heal_pad.csv" \
  --pigment nope --out "$TMP/x.png"
grep -q "pigments/nope.yaml:1:1: error: cannot read the file" "$TMP/err" ||
  fail "missing pigment: $(cat "$TMP/err")"

# aging on the head: the flags appear, the stage progresses
expect_rc 0 "aged head" -- "$STIPPLE" heal --lesson "$GOLDEN/heal_head.yaml" \
  --impressions "$GOLDEN/heal_head.csv" --years 10 --out "$TMP/head.png" --size 320x200 --json
grep -q '"norwood_now":3.00,"norwood_later":5.00' "$TMP/out" || fail "no Norwood progression"
grep -q '"beyond_hairline":true' "$TMP/out" || fail "no dot beyond the hairline"
grep -q '"exposed":true' "$TMP/out" || fail "no dot exposed by receding hair"

# a bad tissue key is named with its place
sed 's/fitzpatrick: 3/fitzpatrick: 9/' "$PAD" >"$TMP/bad.yaml"
expect_rc 2 "bad tissue" -- "$STIPPLE" heal --lesson "$TMP/bad.yaml" \
  --impressions "$GOLDEN/heal_pad.csv" --out "$TMP/x.png"
grep -q "bad.yaml:.*fitzpatrick. must be an integer between 1 and 6" "$TMP/err" ||
  fail "bad tissue: $(cat "$TMP/err")"

if [ "$failures" -gt 0 ]; then
  echo "$failures failed"
  exit 1
fi
echo "cli_heal: all passed"
