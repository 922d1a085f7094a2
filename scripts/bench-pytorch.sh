#!/usr/bin/env bash
# Times the PyTorch peer of the bilevel step (../shared/bench/pt_bilevel_step.py) back to back with
# `dabo bench speed` on this machine, and prints Dabo/PyTorch ratios. Installs the peer idempotently:
#   pytorch 2.6: a Debian 13 chroot at /tmp/trixie (../shared/bench/make-trixie-torch-chroot.sh, root, ~5 min)
#   pytorch 1.13: Debian 12's python3-torch (apt), only with --torch113
# Usage: scripts/bench-pytorch.sh [--model small-cnn|resnet18] [--steps 20] [--threads 2] [--torch113]
# Both sides run with the same thread count and OMP_WAIT_POLICY (PASSIVE unless set: on a shared
# machine, spinning OpenMP threads otherwise dominate the timings of both).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${DABO_SHARED:-$(cd "$root/.." && pwd)/shared}"
[ -d "$shared/bench" ] || shared=/work/shared
model=small-cnn; steps=20; threads=2; torch113=0
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --torch113) torch113=1; shift ;;
    *) echo "bench-pytorch.sh: unknown flag $1" >&2; exit 2 ;;
  esac
done
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
script="$shared/bench/pt_bilevel_step.py"
[ -f "$script" ] || { echo "bench-pytorch.sh: $script not found (set DABO_SHARED)" >&2; exit 1; }
chroot_dir=/tmp/trixie

if ! chroot "$chroot_dir" python3 -c "import torch" >/dev/null 2>&1; then
  echo "bench-pytorch.sh: building the PyTorch 2.6 chroot at $chroot_dir (about 5 minutes)…" >&2
  bash "$shared/bench/make-trixie-torch-chroot.sh" >&2
fi
mountpoint -q "$chroot_dir/proc" || mount -t proc proc "$chroot_dir/proc"
cp "$script" "$chroot_dir/tmp/pt_bilevel_step.py"

echo "# PyTorch 2.6 (chroot), $model, threads $threads, OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
pt=$(chroot "$chroot_dir" env OMP_WAIT_POLICY="$OMP_WAIT_POLICY" python3 /tmp/pt_bilevel_step.py --model "$model" --steps "$steps" --threads "$threads")
echo "$pt"
if [ "$torch113" = 1 ]; then
  if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
    echo "bench-pytorch.sh: installing python3-torch (PyTorch 1.13) with apt…" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >&2
  fi
  echo "# PyTorch 1.13 (Debian 12)"
  /usr/bin/python3 "$script" --model "$model" --steps "$steps" --threads "$threads"
fi

echo "# Dabo"
dabo=$("$root/dabo" bench speed --model "$model" --steps "$steps" --large-steps "$steps" --threads "$threads" --soak-steps 0 --no-data-path --json)
echo "$dabo"

python3 - "$pt" "$dabo" <<'PY'
import json, sys
pt = {j["mode"]: j["median_ms"] for j in map(json.loads, sys.argv[1].splitlines())}
d = json.loads(sys.argv[2].splitlines()[0])
print(f"# {d['model']}: plain Dabo {d['plain_ms']:.1f} ms vs PyTorch {pt['plain']:.1f} ms ({d['plain_ms'] / pt['plain']:.2f}x); "
      f"bilevel K=1 exact Dabo {d['bilevel_k1_exact_ms']:.1f} ms vs PyTorch {pt['bilevel']:.1f} ms ({d['bilevel_k1_exact_ms'] / pt['bilevel']:.2f}x); "
      f"ratio bilevel/plain Dabo {d['ratio_k1_exact']:.2f} vs PyTorch {pt['bilevel'] / pt['plain']:.2f}")
PY
