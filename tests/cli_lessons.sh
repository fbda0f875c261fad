#!/usr/bin/env bash
# cli_lessons.sh: the instructors' tools end to end: `stipple lesson new`
# writes templates that validate and play; `validate` prints every problem
# with its place and exits 2; `hash` ignores formatting; `preview` draws a
# PNG headless; `solve` makes a lesson's reference attempt, byte for byte
# the committed solution, which `grade` passes; a curriculum validates.
# Usage: cli_lessons.sh PATH/TO/stipple
set -u
STIPPLE=$1
ASSETS=${STIPPLE_ASSETS:?}
TMP=$(mktemp -d "${STIPPLE_TEST_TMP:-/tmp}/cli-lessons.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_rc() { # expect_rc WANT DESCRIPTION -- CMD...
  local want=$1 what=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want; stderr: $(head -c 600 "$TMP/err")"
}

# help
for sub in new solve preview; do
  expect_rc 0 "lesson $sub --help" -- "$STIPPLE" lesson "$sub" --help
  grep -q "usage: stipple lesson $sub" "$TMP/out" || fail "lesson $sub --help prints no usage"
done
expect_rc 0 "lesson --help" -- "$STIPPLE" lesson --help
expect_rc 2 "lesson frob" -- "$STIPPLE" lesson frob

# new: both templates validate with no diagnostic; an existing file is kept
expect_rc 0 "new --pad" -- "$STIPPLE" lesson new --out "$TMP/pad.yaml"
expect_rc 0 "new --head" -- "$STIPPLE" lesson new --head --out "$TMP/head.yaml"
expect_rc 0 "validate templates" -- "$STIPPLE" lesson validate "$TMP/pad.yaml" "$TMP/head.yaml"
[ -s "$TMP/err" ] && fail "templates have diagnostics: $(cat "$TMP/err")"
grep -q "head.yaml: ok (my-head-lesson, 3 zones, 0 warnings)" "$TMP/out" || fail "validate: $(cat "$TMP/out")"
expect_rc 2 "new over an existing file" -- "$STIPPLE" lesson new --out "$TMP/pad.yaml"
grep -q "already exists" "$TMP/err" || fail "overwrite not refused: $(cat "$TMP/err")"
expect_rc 0 "new to stdout" -- "$STIPPLE" lesson new --head
cmp -s "$TMP/out" "$TMP/head.yaml" || fail "new to stdout differs from --out"

# the template plays: its reference attempt passes it
expect_rc 0 "solve the pad template" -- "$STIPPLE" lesson solve "$TMP/pad.yaml" --out "$TMP/pad.csv"
expect_rc 0 "grade it" -- "$STIPPLE" grade --lesson "$TMP/pad.yaml" --impressions "$TMP/pad.csv"
grep -q "PASSED" "$TMP/out" || fail "the pad template's solution does not pass: $(cat "$TMP/out")"

# validate: every problem, with its place, exit 2
sed -e 's/^id: my-pad-lesson/id: My Pad/' -e 's/density_per_cm2: 40/density_per_cm2: lots/' \
    -e 's/^mode: practice/mode: exm/' "$TMP/pad.yaml" >"$TMP/broken.yaml"
expect_rc 2 "validate a broken lesson" -- "$STIPPLE" lesson validate "$TMP/broken.yaml"
grep -q "^$TMP/broken.yaml:6:5: error: \`id\` must be an id" "$TMP/err" || fail "id error: $(cat "$TMP/err")"
grep -q "^$TMP/broken.yaml:[0-9]*:22: error: \`density_per_cm2\` must be a number" "$TMP/err" ||
  fail "density error: $(cat "$TMP/err")"
grep -q "did you mean \`exam\`?" "$TMP/err" || fail "mode suggestion: $(cat "$TMP/err")"
[ "$(grep -c error: "$TMP/err")" = 3 ] || fail "expected 3 errors: $(cat "$TMP/err")"

# hash: formatting and comments do not count, values do
expect_rc 0 "hash" -- "$STIPPLE" lesson hash "$TMP/pad.yaml"
h1=$(cut -d' ' -f1 "$TMP/out")
grep -v '^ *#' "$TMP/pad.yaml" | sed 's/  *#.*$//' >"$TMP/bare.yaml"
expect_rc 0 "hash without comments" -- "$STIPPLE" lesson hash "$TMP/bare.yaml"
[ "$(cut -d' ' -f1 "$TMP/out")" = "$h1" ] || fail "comments changed the hash"
sed 's/pass_mark: 70/pass_mark: 71/' "$TMP/pad.yaml" >"$TMP/other.yaml"
expect_rc 0 "hash of another value" -- "$STIPPLE" lesson hash "$TMP/other.yaml"
[ "$(cut -d' ' -f1 "$TMP/out")" != "$h1" ] || fail "a changed value kept the hash"

# preview: a PNG, headless
expect_rc 0 "preview" -- "$STIPPLE" lesson preview "$TMP/head.yaml" --out "$TMP/head.png" --size 320x200
head -c 8 "$TMP/head.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "preview is not a PNG"
expect_rc 0 "preview with an attempt" -- "$STIPPLE" lesson preview "$ASSETS/lessons/head-blowout-correction.yaml" \
  --out "$TMP/blowout.png" --size 320x200 --view front \
  --impressions "$ASSETS/solutions/head-blowout-correction.csv"
expect_rc 2 "preview without --out" -- "$STIPPLE" lesson preview "$TMP/head.yaml"
expect_rc 2 "preview, unknown view" -- "$STIPPLE" lesson preview "$TMP/head.yaml" --out x.png --view up

# solve reproduces the committed solutions byte for byte (pads, a head
# lesson with a forbidden zone built on an earlier session, a refusal)
for id in pad-single-dots pad-gradient head-blowout-correction client-refuse-autoimmune; do
  expect_rc 0 "solve $id" -- "$STIPPLE" lesson solve "$ASSETS/lessons/$id.yaml" --out "$TMP/$id.csv"
  cmp -s "$TMP/$id.csv" "$ASSETS/solutions/$id.csv" ||
    fail "$id: solve differs from assets/solutions/$id.csv (run assets/solutions/regenerate.sh)"
done
[ "$(wc -l <"$TMP/client-refuse-autoimmune.csv")" = 1 ] || fail "a refusal's solution is not empty"
# ... and through a recorded trace: the trace's grade has the CSV's depth and
# density (the trace adds times, so pace and drag are measured too) and passes
expect_rc 0 "solve with a trace" -- "$STIPPLE" lesson solve "$ASSETS/lessons/pad-single-dots.yaml" \
  --out "$TMP/s.csv" --trace "$TMP/s.trace" --seed 3
expect_rc 0 "grade the trace" -- "$STIPPLE" grade --lesson "$ASSETS/lessons/pad-single-dots.yaml" \
  --trace "$TMP/s.trace"
grep -E "impressions|depth|density" "$TMP/out" >"$TMP/g-trace"
grep -q "PASSED" "$TMP/out" || fail "the trace of seed 3 does not pass: $(cat "$TMP/out")"
expect_rc 0 "grade the CSV" -- "$STIPPLE" grade --lesson "$ASSETS/lessons/pad-single-dots.yaml" \
  --impressions "$TMP/s.csv"
grep -E "impressions|depth|density" "$TMP/out" | cmp -s - "$TMP/g-trace" ||
  fail "trace and CSV differ in depth or density: $(cat "$TMP/out" "$TMP/g-trace")"
grep -q "PASSED" "$TMP/out" || fail "seed 3 does not pass: $(cat "$TMP/out")"
expect_rc 2 "solve, bad seed" -- "$STIPPLE" lesson solve "$ASSETS/lessons/pad-single-dots.yaml" --seed x

# the curriculum validates with its lessons; a broken one says where
expect_rc 0 "validate the curriculum" -- "$STIPPLE" lesson validate "$ASSETS/lessons/curriculum.yaml"
grep -q "ok (curriculum stipple-smp-foundation" "$TMP/out" || fail "curriculum: $(cat "$TMP/out")"
printf 'stipple_curriculum: 1\nid: c\ntitle: C\nlessons:\n  - file: %s\n    requires: [pad-single-dot]\n  - file: nowhere.yaml\n' \
  "$ASSETS/lessons/pad-single-dots.yaml" >"$TMP/cur.yaml"
expect_rc 2 "validate a broken curriculum" -- "$STIPPLE" lesson validate "$TMP/cur.yaml"
grep -q "cur.yaml:6:16: error: no lesson in the curriculum has the id \`pad-single-dot\`; did you mean \`pad-single-dots\`?" "$TMP/err" ||
  fail "curriculum requirement: $(cat "$TMP/err")"
grep -q "cur.yaml:7:11: error: lesson .*nowhere.yaml has 1 error" "$TMP/err" || fail "curriculum file: $(cat "$TMP/err")"

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "all lesson tool checks passed"
