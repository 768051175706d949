#!/bin/sh
# The bench of `npm run bench:pack`, on a machine with no Node: ./run.sh [bench options, see bench/run.ts].
# The first run unpacks Node and Dawn beside this script (xz, or Python's lzma where xz is missing).
set -e
here=$(cd "$(dirname "$0")" && pwd)

unpack() {
  [ -f "$2" ] && return 0
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$1" >"$2.part"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2.part"
  else
    echo "run.sh needs xz or python3 to unpack $1" >&2
    exit 1
  fi
  mv "$2.part" "$2"
}

unpack "$here/node.xz" "$here/node"
chmod +x "$here/node"
unpack "$here/node_modules/webgpu/dist/linux-x64/dawn.node.xz" "$here/node_modules/webgpu/dist/linux-x64/dawn.node"
# Dawn needs a writable runtime folder for its Vulkan instance.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
exec "$here/node" "$here/dist/app/bench.mjs" "$@"
