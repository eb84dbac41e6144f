#!/usr/bin/env bash
# Benchmark: builds smsite in release mode, generates synthetic SMS
# repositories (1,000 / 10,000 / 40,000 documents), times smsite and Hugo
# alternately on the same machine, builds 10,000 documents of a second,
# independent generator (bench/gen_other.py) and writes bench/results.md.
# It first waits (up to 20 minutes) until creating files is back to normal
# speed if many files were deleted in the last minutes (see bench/run.py).
#   bash bench/run.sh            # full run (about 10 minutes on 2 cores)
#   RUNS=3 SIZES="1000 10000" bash bench/run.sh   # quicker
#   BENCH_DIR=/dev/shm RESULTS=/tmp/r.md bash bench/run.sh   # on tmpfs, elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v hugo >/dev/null 2>&1; then
  echo "installing hugo (Debian package) for the comparison" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq hugo >/dev/null
fi
cargo build --release -q --bin smsite --example gen_sms
exec python3 bench/run.py "$@"
