#!/usr/bin/env bash
# Makes this machine able to run Dabo: a libstdc++ new enough for TorchSharp's native library,
# and the default dataset (Fashion-MNIST). Idempotent: prints one line per action it takes and
# nothing when the machine is already ready.
set -euo pipefail

need_glibcxx="GLIBCXX_3.4.32"
say() { echo "setup: $*"; }
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    apt_updated=1
  fi
}

libstdcxx_path() {
  local p
  for p in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [ -e "$p" ] && { echo "$p"; return 0; }
  done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}'
}

has_glibcxx() {
  local lib; lib=$(libstdcxx_path)
  [ -n "$lib" ] && grep -aq "$need_glibcxx" "$lib"
}

# The Debian mirror this machine already uses (see debian-mirror.sh).
source "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh"

is_debian() { [ -r /etc/os-release ] && grep -qE '^ID=debian' /etc/os-release; }

# 1. libstdc++ with GLIBCXX_3.4.32 (TorchSharp 0.107's libLibTorchSharp.so needs it).
if ! has_glibcxx; then
  if is_debian; then
    pin=/etc/apt/preferences.d/dabo-trixie-pin
    src=/etc/apt/sources.list.d/dabo-trixie.sources
    if [ ! -f "$src" ]; then
      mirror="$(debian_mirror /)"
      say "adding Debian 13 (trixie) apt source from $mirror with low pin priority ($src)"
      as_root tee "$src" >/dev/null <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
      as_root tee "$pin" >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
    fi
    apt_update_once
    say "installing libstdc++6 from trixie (provides $need_glibcxx)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6 >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    has_glibcxx || { echo "setup: libstdc++6 from trixie still lacks $need_glibcxx" >&2; exit 1; }
  else
    echo "setup: the system libstdc++ lacks $need_glibcxx, needed by TorchSharp 0.107; install libstdc++ from GCC 13 or newer and run again" >&2
    exit 1
  fi
fi

# 2. The default dataset.
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  if command -v apt-get >/dev/null 2>&1; then
    apt_update_once
    say "installing dataset-fashion-mnist"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  else
    echo "setup: Fashion-MNIST not found at /usr/share/datasets/fashion-mnist/ and apt-get is unavailable; download the four IDX .gz files there, or pass --dataset PATH" >&2
    exit 1
  fi
fi
