#!/usr/bin/env bash
# Load test of `smsite serve` on loopback: wrk hammers pages while several
# event-stream clients stay connected and a file is edited every 200 ms.
# Bounded in time (about 40 s). Writes bench/serve-load.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
cargo build --release -q --bin smsite
exec python3 bench/serve_load.py "$@"
