#!/usr/bin/env bash
# Renders an HTML report in headless Chromium and checks the screenshot is not trivially empty.
# Usage: scripts/check-report.sh REPORT.html OUT.png
# Installs the Debian package chromium when it is missing (one line per action, as scripts/setup.sh).
set -euo pipefail

say() { echo "check-report: $*"; }
die() { echo "check-report: $*" >&2; exit 1; }
[ "$#" -eq 2 ] || die "usage: scripts/check-report.sh REPORT.html OUT.png"
report="$(realpath "$1")"
out="$2"
[ -f "$report" ] || die "$1: no such file; pass the report.html written by the report step"
min_bytes=20000

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
log="$(mktemp)"
profile="$(mktemp -d)"
trap 'rm -rf "$log" "$profile"' EXIT

if ! command -v chromium >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "chromium is missing and apt-get is unavailable; install Chromium and run again"
  say "apt-get update"
  as_root apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  say "installing chromium"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi

rm -f "$out"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1280,4000 \
  --screenshot="$out" "file://$report" >"$log" 2>&1 || { cat "$log" >&2; die "chromium failed"; }

[ -f "$out" ] || { cat "$log" >&2; die "chromium wrote no screenshot"; }
size=$(stat -c %s "$out")
[ "$size" -gt "$min_bytes" ] || die "$out: only $size bytes; the page looks empty"
say "$out: $size bytes"
