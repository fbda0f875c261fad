#!/usr/bin/env bash
# cli_render.sh: `stipple render` end to end, headless: every mode and view
# writes a PNG of the asked size, the same input gives the same bytes, bad
# usage is refused with exit 2 and a reason, a missing input file with its
# name.
# Usage: cli_render.sh PATH/TO/stipple
set -u
STIPPLE=$1
TMP=$(mktemp -d "${STIPPLE_TEST_TMP:-/tmp}/cli_render.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
HEAD=${STIPPLE_ASSETS:?}/lessons/head-frontal-shaved.yaml
PAD=${STIPPLE_ASSETS:?}/lessons/pad-even-spacing.yaml
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_rc() { # expect_rc WANT DESCRIPTION -- CMD...
  local want=$1 what=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want; stderr: $(head -c 400 "$TMP/err")"
}
# png_size FILE -> "W H" from the IHDR chunk
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }

expect_rc 0 "render --help" -- "$STIPPLE" render --help
grep -q "usage: stipple render" "$TMP/out" || fail "render --help prints no usage"
expect_rc 0 "--help lists render" -- "$STIPPLE" --help
grep -q "^  render " "$TMP/out" || fail "--help does not list render"

# an attempt to draw: the demo's trace on the pad, a small CSV on the head
expect_rc 0 "demo" -- "$STIPPLE" demo --out "$TMP/demo" --size 64x64
cat >"$TMP/head.csv" <<'EOF'
x_mm,y_mm,z_mm,depth_mm,needle
0,110,60,0.8,0603RL
5,110,60,0.3,0603RL
-5,110,60,2.4,0803RL
10,105,65,0.9,0603RL
EOF

for mode in fresh healed aged density depth; do
  expect_rc 0 "pad $mode" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" \
    --mode "$mode" --size 160x100 --samples 1 --out "$TMP/pad-$mode.png"
  [ "$(png_size "$TMP/pad-$mode.png")" = "160 100" ] || fail "pad $mode: size $(png_size "$TMP/pad-$mode.png")"
  grep -q "pad-$mode.png" "$TMP/out" || fail "pad $mode: does not say where the picture is"
done
for view in left right hairline; do   # every preset: render_camera_test
  expect_rc 0 "head $view" -- "$STIPPLE" render --lesson "$HEAD" --impressions "$TMP/head.csv" \
    --view "$view" --mode healed --size 96x64 --samples 1 --out "$TMP/head-$view.png"
  [ "$(png_size "$TMP/head-$view.png")" = "96 64" ] || fail "head $view: wrong size"
done
# different views are different pictures
cmp -s "$TMP/head-left.png" "$TMP/head-right.png" && fail "left and right views are the same picture"
# the same input, the same bytes
expect_rc 0 "again" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" \
  --mode healed --size 160x100 --samples 1 --out "$TMP/again.png"
cmp -s "$TMP/again.png" "$TMP/pad-healed.png" || fail "rendering twice gives different bytes"
# overlays change the picture
expect_rc 0 "overlays" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" \
  --mode healed --size 160x100 --samples 1 --overlays --out "$TMP/over.png"
cmp -s "$TMP/over.png" "$TMP/pad-healed.png" && fail "--overlays draws nothing"

# bad usage: exit 2 with a reason
expect_rc 2 "no lesson" -- "$STIPPLE" render --trace "$TMP/demo/demo.trace" --out "$TMP/x.png"
grep -q "lesson" "$TMP/err" || fail "missing --lesson not named"
expect_rc 2 "no out" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace"
expect_rc 2 "both inputs" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" \
  --impressions "$TMP/head.csv" --out "$TMP/x.png"
expect_rc 2 "bad view" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" --view sideways --out "$TMP/x.png"
grep -q "unknown view 'sideways'" "$TMP/err" || fail "bad view not named"
expect_rc 2 "bad mode" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" --mode glowing --out "$TMP/x.png"
grep -q "unknown mode 'glowing'" "$TMP/err" || fail "bad mode not named"
expect_rc 2 "bad size" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" --size 10x10000 --out "$TMP/x.png"
expect_rc 2 "bad samples" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" --samples 0 --out "$TMP/x.png"
# a missing trace is named
expect_rc 2 "missing trace" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/nope.trace" --out "$TMP/x.png"
grep -q "nope.trace" "$TMP/err" || fail "missing trace not named: $(cat "$TMP/err")"
[ -e "$TMP/x.png" ] && fail "a failed render left a picture"
# an unwritable output is named
expect_rc 1 "unwritable" -- "$STIPPLE" render --lesson "$PAD" --trace "$TMP/demo/demo.trace" --size 32x32 \
  --out "$TMP/no/such/dir/x.png"
grep -q "x.png" "$TMP/err" || fail "unwritable output not named: $(cat "$TMP/err")"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "cli_render: all good"
