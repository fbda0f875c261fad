#!/usr/bin/env bash
# libfuzzer.sh: the bounded fuzz run of the test suite. Builds the lesson and
# mesh fuzz targets with clang's libFuzzer, ASan and UBSan (in
# BUILD/fuzz-clang, kept between runs), then fuzzes each for a few seconds
# from its seeds (tests/fuzz/corpus/<target>/, plus the lessons in
# assets/lessons/ for fuzz_lesson). Any crash, leak, sanitizer report or
# broken invariant fails the test and shows the input that caused it.
#
# Usage: libfuzzer.sh SOURCE_DIR BUILD_DIR [LESSON_SECONDS [OBJ_SECONDS]]
# Needs clang and libclang-rt-14-dev (both in ./dev's package list); exits
# 77 (ctest: skipped) without them.
set -u
src=$1
out=$2/fuzz-clang
t_lesson=${3:-20}
t_obj=${4:-10}

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
  >"$probe/p.c"
if ! command -v clang >/dev/null || ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
  echo "libfuzzer.sh: clang with libFuzzer is not installed (./dev deps installs it): skipped"
  exit 77
fi

CC=clang CXX=clang++ cmake -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=Debug -DSTIPPLE_FUZZ=ON \
  -DSTIPPLE_SANITIZE=ON >"$probe/configure.log" 2>&1 ||
  { cat "$probe/configure.log"; exit 1; }
nice cmake --build "$out" -j2 --target fuzz_lesson fuzz_obj >"$probe/build.log" 2>&1 ||
  { tail -50 "$probe/build.log"; exit 1; }

failed=0
fuzz() { # fuzz TARGET SECONDS SEED_DIR...
  local target=$1 secs=$2; shift 2
  local work="$probe/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  echo "== $target: ${secs} s"
  "$out/tests/$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$@" \
    >"$work/log" 2>&1
  local rc=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|Done [0-9]+ runs" "$work/log"
  if [ "$rc" != 0 ]; then
    failed=1
    tail -60 "$work/log"
    for f in "$work"/artifacts/*; do
      [ -e "$f" ] || continue
      echo "-- input $f (hex):"
      od -An -c "$f" | head -40
    done
  fi
}
fuzz fuzz_lesson "$t_lesson" "$src/tests/fuzz/corpus/fuzz_lesson" "$src/assets/lessons"
fuzz fuzz_obj "$t_obj" "$src/tests/fuzz/corpus/fuzz_obj"
exit "$failed"
