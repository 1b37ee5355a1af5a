#!/bin/sh
# Runs a command with the project's Node 22 first on PATH, so that npm itself runs on it too and checks
# every package's `engines` against the Node the project runs on (npm scripts already get it, from
# node_modules/.bin). Before the first install that Node is not in node_modules yet: npx then fetches
# the same node-<platform>-<arch> package that package.json lists (cached after the first time).
# Usage: scripts/with-node22.sh npm ci
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -x "$root/node_modules/.bin/node" ]; then
  PATH="$root/node_modules/.bin:$PATH" exec "$@"
fi
pkg=$(node -e '
  const deps = require(process.argv[1]).optionalDependencies ?? {};
  const name = Object.keys(deps).find((n) => /^node-(bin-)?[a-z0-9]+-[a-z0-9]+$/.test(n) &&
    n.endsWith(`-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`));
  console.log(name ? `${name}@${deps[name]}` : "");
' "$root/package.json")
if [ -z "$pkg" ]; then
  echo "with-node22: package.json lists no Node for $(uname -s) $(uname -m); using $(node -v)" >&2
  exec "$@"
fi
exec npx --yes --package="$pkg" -- "$@"
