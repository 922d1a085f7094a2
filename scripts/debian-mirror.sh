#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt already uses: the URI serving the "main" component of
# the installed release (VERSION_CODENAME in /etc/os-release), read from /etc/apt/sources.list and
# /etc/apt/sources.list.d/*.list (one-line format) and *.sources (deb822). Falls back to
# http://deb.debian.org/debian when none is found. setup.sh sources this file; run directly,
# it prints the mirror for the root directory given as $1 (default /), which is how it is tested.

debian_mirror_fallback="http://deb.debian.org/debian"

# debian_mirror [ROOT]: the mirror URI (no trailing slash) for the system under ROOT.
debian_mirror() {
  local root="${1:-}" codename="" uri="" f
  root="${root%/}"
  if [ -r "$root/etc/os-release" ]; then
    codename=$(sed -n 's/^VERSION_CODENAME=["'\'']\{0,1\}\([^"'\'']*\).*/\1/p' "$root/etc/os-release" | head -1)
  fi
  local files=()
  [ -f "$root/etc/apt/sources.list" ] && files+=("$root/etc/apt/sources.list")
  for f in "$root"/etc/apt/sources.list.d/*.list "$root"/etc/apt/sources.list.d/*.sources; do
    # Our own trixie source must not vote for the mirror of the installed release.
    [ -f "$f" ] && [ "$(basename "$f")" != "dabo-trixie.sources" ] && files+=("$f")
  done
  # First the installed release's suite; then any plain suite (no -updates/-security), since os-release
  # may already name a newer release (base-files comes from trixie once setup.sh has run).
  local want
  for want in "$codename" ""; do
    for f in "${files[@]+"${files[@]}"}"; do
      case "$f" in
        *.sources) uri=$(_debian_mirror_deb822 "$want" <"$f") ;;
        *) uri=$(_debian_mirror_one_line "$want" <"$f") ;;
      esac
      if [ -n "$uri" ]; then
        echo "${uri%/}"
        return 0
      fi
    done
  done
  echo "$debian_mirror_fallback"
}

# One-line format: deb [options] URI SUITE COMPONENT...
_debian_mirror_one_line() {
  awk -v codename="$1" '
    function suite_ok(s) { return codename != "" ? s == codename : s ~ /^[a-z]+$/ }
    /^[ \t]*#/ { next }
    $1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      uri = $i; suite = $(i + 1)
      if (uri ~ /^cdrom:/ || !suite_ok(suite)) next
      for (j = i + 2; j <= NF; j++) if ($j == "main") { print uri; exit }
    }'
}

# deb822 format: paragraphs of Types:, URIs:, Suites:, Components:, Enabled: fields.
_debian_mirror_deb822() {
  awk -v codename="$1" '
    function suite_ok(s) { return codename != "" ? s == codename : s ~ /^[a-z]+$/ }
    function has(list, word,   n, a, k) { n = split(list, a, /[ \t]+/); for (k = 1; k <= n; k++) if (a[k] == word) return 1; return 0 }
    function value() { v = $0; sub(/^[^:]*:[ \t]*/, "", v); return v }
    function flush(   n, s, k, u) {
      if (has(types, "deb") && tolower(enabled) != "no" && has(comps, "main")) {
        n = split(suites, s, /[ \t]+/)
        for (k = 1; k <= n; k++) if (suite_ok(s[k])) {
          split(uris, u, /[ \t]+/)
          if (u[1] != "" && u[1] !~ /^cdrom:/) { print u[1]; found = 1; exit }
        }
      }
      types = uris = suites = comps = enabled = ""
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { flush(); next }
    tolower($0) ~ /^types:/ { types = value(); next }
    tolower($0) ~ /^uris:/ { uris = value(); next }
    tolower($0) ~ /^suites:/ { suites = value(); next }
    tolower($0) ~ /^components:/ { comps = value(); next }
    tolower($0) ~ /^enabled:/ { enabled = value(); next }
    END { if (!found) flush() }'
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  debian_mirror "${1:-/}"
fi
