#!/usr/bin/env bash
# cli_ui.sh: the simulator's UI smoke test, headless (SDL's offscreen video
# driver): `stipple --autotest DIR` signs in, opens the first lesson,
# decides on the intake, places dots with a scripted virtual stylus,
# finishes, looks at the results, a heatmap and a feedback place, and
# replays the trace; it checks itself (ui_autotest.c) and leaves a JSON log
# and screenshots, checked again here.
# Usage: cli_ui.sh PATH/TO/stipple
set -u
STIPPLE=$1
TMP=$(mktemp -d "${STIPPLE_TEST_TMP:-/tmp}/cli_ui.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
export SDL_VIDEODRIVER=offscreen XDG_DATA_HOME="$TMP/xdg"
# SDL_Quit unloads Mesa's GL driver (eglTerminate), and LeakSanitizer then
# reports the driver's own allocations as leaked from an "<unknown module>":
# not ours, and not suppressible by name. Leaks in Stipple's code are
# checked by the unit tests, which exercise the same functions.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
LOG="$TMP/at/autotest.jsonl"

"$STIPPLE" --autotest "$TMP/at" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 0 ] || fail "autotest exit $rc: $(tail -c 600 "$TMP/err")"
[ -s "$LOG" ] || { fail "no log"; echo "$failures failure(s)" >&2; exit 1; }
grep -q '"step": "end", "ok": true' "$LOG" || fail "autotest not ok: $(tail -1 "$LOG")"

# every step in order, each with its screenshot
steps=$(sed -n 's/^{"step": "\([a-z-]*\)".*/\1/p' "$LOG" | tr '\n' ' ')
want="sign-in curriculum brief work work-done results density feedback-place replay replay-end end "
[ "$steps" = "$want" ] || fail "steps: '$steps', expected '$want'"
for f in 01-sign-in 02-curriculum 03-brief 04-work 05-work-done 06-results 07-density 08-feedback-place \
         09-replay 10-replay-end; do
  [ -s "$TMP/at/$f.png" ] || fail "no screenshot $f.png"
done
field() { sed -n "s/^{\"step\": \"$1\".*\"$2\": \([^,}]*\).*/\1/p" "$LOG"; }
imps=$(field work-done impressions)
[ "${imps:-0}" -ge 20 ] || fail "only ${imps:-0} impressions placed"
[ "$(field results graded)" = true ] || fail "results not graded"
[ "$(field results screen)" = '"results"' ] || fail "results step not on the results screen"
[ "$(field density dot_view)" = '"density"' ] || fail "the density view did not show"
[ "$(field replay-end replay_dots)" = "$imps" ] || fail "replay ended with $(field replay-end replay_dots) of $imps dots"
# the journalled trace grades the same outside the UI
"$STIPPLE" grade --lesson "${STIPPLE_ASSETS:?}/lessons/pad-even-spacing.yaml" --trace "$TMP/at/autotest.trace" \
  --json >"$TMP/grade.json" 2>"$TMP/err" || fail "the journal does not grade: $(cat "$TMP/err")"
score=$(field results score)
grep -q "\"score\":$score," "$TMP/grade.json" || fail "UI score $score, stipple grade: $(head -c 200 "$TMP/grade.json")"
# the session went into the records database, graded and signed
"$STIPPLE" records list --trainee Autotest >"$TMP/records" 2>"$TMP/err" || fail "records list: $(cat "$TMP/err")"
short=$(printf '%.1f' "$score")   # the list rounds to one decimal
grep -q "pad-even-spacing .* finished *$short" "$TMP/records" && grep -q "signed" "$TMP/records" ||
  fail "the session is not in the records as finished with $short: $(cat "$TMP/records")"

# opening a lesson directly runs too (a few frames), and bad options are refused
"$STIPPLE" --lesson "${STIPPLE_ASSETS}/lessons/head-frontal-shaved.yaml" --frames 3 >"$TMP/out" 2>"$TMP/err" ||
  fail "--lesson --frames 3: $(tail -c 400 "$TMP/err")"
"$STIPPLE" --scale 9 >/dev/null 2>"$TMP/err"; [ $? = 2 ] || fail "--scale 9 accepted"
"$STIPPLE" --device pigeon >/dev/null 2>"$TMP/err"; [ $? = 2 ] || fail "--device pigeon accepted"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "cli_ui: all good"
