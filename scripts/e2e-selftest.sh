#!/usr/bin/env bash
# Proves the real-editor e2e infrastructure end to end with the throwaway hello extension in test/e2e/selftest:
# setup, then the extension-host runner, the UI runner and the Neovim runner. Runs all three even if one fails.
#   KGOV_E2E_SELFTEST_UI=ext   load the extension by extensionDevelopmentPath in the UI check instead of a vsix
#   KGOV_E2E_SELFTEST_FAIL=1   add a deliberate failure to the exthost and UI checks (both must then fail)
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
ST=$REPO/test/e2e/selftest

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
results=()
failed=0
timed() {   # timed <label> <command...>: run, print wall time, remember the outcome
  local label=$1 t rc; shift
  t=$(now_us)
  "$@"; rc=$?
  results+=("$(printf '%-9s %7.2fs  %s' "$label" "$(( ($(now_us) - t) / 10000 ))e-2" "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")")
  [ $rc -eq 0 ] || failed=1
  return 0
}

timed setup scripts/e2e-setup.sh
[ $failed -eq 0 ] || { printf '%s\n' "${results[@]}"; exit 1; }

timed exthost env EXT="$ST" WS="$ST/ws" TESTS="$ST/exthost/index.js" node test/e2e/run-exthost.mjs

ui() {
  if [ "${KGOV_E2E_SELFTEST_UI:-vsix}" = ext ]; then
    SCENARIO="$ST/scenario.mjs" WS="$ST/ws" EXT="$ST" node test/e2e/run-ui.mjs
  else
    local vsix
    vsix=$(node "$ST/pack.mjs") || return 1
    SCENARIO="$ST/scenario.mjs" WS="$ST/ws" VSIX="$vsix" node test/e2e/run-ui.mjs
  fi
}
timed ui ui

timed nvim env SERVER="$ST/server.js" FILE="$ST/ws/test.yaml" node test/e2e/run-nvim.mjs

echo "--- e2e selftest wall times"
printf '%s\n' "${results[@]}"
exit $failed
