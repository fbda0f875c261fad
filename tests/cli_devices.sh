#!/usr/bin/env bash
# cli_devices.sh: `stipple devices` against emulated devices (umockdev: a
# Falcon with and without firmware, a pen tablet) and `stipple bench
# servo|query` printing their JSON. Needs the app to register app_cmd_devices
# and app_cmd_bench. Skips the device part (exit 0, a note) without
# umockdev-run.
# Usage: cli_devices.sh PATH/TO/stipple
set -u
STIPPLE=$1
DATA=$(cd "$(dirname "$0")/haptics" && pwd)
TMP=$(mktemp -d "${STIPPLE_TEST_TMP:-/tmp}/cli-devices.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_rc() { # expect_rc WANT DESCRIPTION -- CMD...
  local want=$1 what=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want; stderr: $(head -c 400 "$TMP/err")"
}
expect_out() { grep -q -- "$1" "$TMP/out" || fail "$2: no '$1' in: $(head -c 600 "$TMP/out")"; }

expect_rc 0 "devices --help" -- "$STIPPLE" devices --help
expect_out "usage: stipple devices" "devices --help"
expect_rc 2 "devices bad option" -- "$STIPPLE" devices --frob
grep -q "unexpected argument '--frob'" "$TMP/err" || fail "bad option not named"
expect_rc 0 "bench --help" -- "$STIPPLE" bench --help
expect_rc 2 "bench bad name" -- "$STIPPLE" bench frob
expect_rc 2 "bench bad seconds" -- "$STIPPLE" bench servo --seconds -3

# the benchmarks print one JSON object with the documented keys
expect_rc 0 "bench query" -- "$STIPPLE" bench query --queries 300
[ "$(wc -l <"$TMP/out")" = 1 ] || fail "bench query: not one line"
for k in '"bvh_us"' '"brute_us"' '"ratio"' '"max_error_mm": 0'; do expect_out "$k" "bench query"; done
expect_rc 0 "bench servo" -- "$STIPPLE" bench servo --seconds 0.3
for k in '"rate_hz"' '"jitter_us": {"p50"' '"p99"' '"max"' '"overruns"' '"force_eval_us": {"p50"'; do
  expect_out "$k" "bench servo"
done

if command -v umockdev-run >/dev/null; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:-verify_asan_link_order=0}
  FALCON_NOFW=(-d "$DATA/falcon.umockdev" -i "/dev/bus/usb/001/002=$DATA/falcon_firmware.ioctl")
  TABLET=(-d "$DATA/tablet.umockdev" -i "/dev/input/event9=$DATA/tablet.ioctl")
  expect_rc 0 "devices (no firmware)" -- umockdev-run "${FALCON_NOFW[@]}" "${TABLET[@]}" -- \
    env -u STIPPLE_FALCON_FIRMWARE "$STIPPLE" devices
  expect_out "^falcon   usb 001:002 .*no firmware running, and no firmware file was given" "devices"
  expect_out "-> the Falcon needs Novint's firmware file" "devices"
  expect_out "^tablet   /dev/input/event9 .*Stipple Test Pen .*ready (152 x 95 mm, tilt)" "devices"
  expect_out "^mouse" "devices"
  expect_out "1 device cannot be used yet" "devices"
  expect_rc 0 "devices --firmware" -- umockdev-run "${FALCON_NOFW[@]}" -- \
    "$STIPPLE" devices --firmware "$DATA/falcon_test_firmware.bin"
  expect_out "ready: no firmware running yet; .*(70 bytes) will be loaded on open" "devices --firmware"
  expect_rc 0 "devices (firmware running)" -- umockdev-run -d "$DATA/falcon.umockdev" \
    -i "/dev/bus/usb/001/002=$DATA/falcon_session.ioctl" -- "$STIPPLE" devices
  expect_out "ready (firmware running)" "devices"
else
  echo "note: umockdev-run not found: emulated devices skipped" >&2
fi

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "cli_devices: ok"
