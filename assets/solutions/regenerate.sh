#!/usr/bin/env bash
# regenerate.sh: remakes every reference solution in this folder with
# `stipple lesson solve`, then MANIFEST (each lesson's hash next to its
# solution's SHA-256, so tests notice a lesson edited without its solution).
#
#   assets/solutions/regenerate.sh [STIPPLE]   (default: build/release/app/stipple)
#
# lessons/NAME.yaml -> solutions/NAME.csv; lessons/sessions/NAME.yaml (earlier
# sessions other lessons build on, not played) -> solutions/sessions/NAME.csv.
# Earlier sessions and lessons that build on no other solution go first.
# Deterministic: the same lessons and `stipple` give the same bytes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
stipple=${1:-$root/build/release/app/stipple}
cd "$here/.."

solve() {
  local lesson=$1 out=solutions/${1#lessons/}
  out=${out%.yaml}.csv
  mkdir -p "$(dirname "$out")"
  "$stipple" lesson solve "$lesson" --out "$out"
}

lessons() {
  for f in lessons/sessions/*.yaml lessons/*.yaml; do
    grep -q '^stipple_curriculum:' "$f" || echo "$f"
  done
}

later=()
for lesson in $(lessons); do
  if grep -q '^ *previous_impressions: *\.\./solutions/' "$lesson" &&
     [ "${lesson#lessons/sessions/}" = "$lesson" ]; then
    later+=("$lesson")
  else
    solve "$lesson"
  fi
done
for lesson in "${later[@]}"; do solve "$lesson"; done

{
  echo "# lesson hash, solution SHA-256, lesson, solution (made by regenerate.sh)"
  for lesson in $(lessons); do
    out=solutions/${lesson#lessons/}
    out=${out%.yaml}.csv
    printf '%s  %s  %s  %s\n' "$("$stipple" lesson hash "$lesson" | cut -d' ' -f1)" \
      "$(sha256sum "$out" | cut -d' ' -f1)" "$lesson" "$out"
  done
} > solutions/MANIFEST
