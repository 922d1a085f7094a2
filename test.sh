#!/usr/bin/env bash
# Runs Dabo's test suite on this machine, after installing what is missing (scripts/setup.sh).
# Ends with one line "N passed, M failed" and exits non-zero when a test fails.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$root/scripts/setup.sh" || exit 1
results="$(mktemp -d)"
dotnet test "$root/tests/Dabo.Tests/Dabo.Tests.csproj" -c Release --nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?
trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  passed=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  failed=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  echo "${passed:-0} passed, ${failed:-0} failed"
else
  echo "0 passed, 1 failed"
  [ $status -ne 0 ] || status=1
fi
rm -rf "$results"
exit $status
