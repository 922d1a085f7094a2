#!/usr/bin/env bash
# Times the PyTorch peer of the bilevel step (scripts/pt_peer.py, which runs the plain and bilevel step of
# ../shared/bench/pt_bilevel_step.py on the same network as Dabo's: small-cnn with BatchNorm,
# small-cnn-nobn, resnet18) back to back with `dabo bench speed` on this machine, and prints Dabo/PyTorch
# ratios for the plain and the bilevel step. Installs the peer idempotently:
#   pytorch 2.6: a Debian 13 chroot at /tmp/trixie (../shared/bench/make-trixie-torch-chroot.sh, root, ~5 min)
#   pytorch 1.13: Debian 12's python3-torch (apt), only with --torch113
# Usage: scripts/bench-pytorch.sh [--model small-cnn|small-cnn-nobn|resnet18] [--steps 20] [--threads 2]
#                                 [--peer-malloc default|tuned] [--torch113]
# Both sides run with the same thread count and OMP_WAIT_POLICY (PASSIVE unless set: on a shared
# machine, spinning OpenMP threads otherwise dominate the timings of both). Dabo keeps glibc's malloc
# from unmapping large blocks (TorchRuntime.TuneAllocator); --peer-malloc tuned gives the peer the same
# settings through GLIBC_TUNABLES (default: glibc's defaults, as PyTorch runs out of the box).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${DABO_SHARED:-$(cd "$root/.." && pwd)/shared}"
[ -d "$shared/bench" ] || shared=/work/shared
model=small-cnn; steps=20; threads=2; torch113=0; peer_malloc=default
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --torch113) torch113=1; shift ;;
    --peer-malloc) peer_malloc="$2"; shift 2 ;;
    *) echo "bench-pytorch.sh: unknown flag $1" >&2; exit 2 ;;
  esac
done
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
case "$model" in small-cnn|small-cnn-nobn|resnet18) ;; *) echo "bench-pytorch.sh: --model small-cnn|small-cnn-nobn|resnet18" >&2; exit 2 ;; esac
script="$shared/bench/pt_bilevel_step.py"
peer="$root/scripts/pt_peer.py"
[ -f "$script" ] || { echo "bench-pytorch.sh: $script not found (set DABO_SHARED)" >&2; exit 1; }
peer_env=()
case "$peer_malloc" in
  default) ;;
  tuned) peer_env=(GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=2147483647:glibc.malloc.top_pad=67108864) ;;
  *) echo "bench-pytorch.sh: --peer-malloc default|tuned" >&2; exit 2 ;;
esac
chroot_dir=/tmp/trixie

if ! chroot "$chroot_dir" python3 -c "import torch" >/dev/null 2>&1; then
  echo "bench-pytorch.sh: building the PyTorch 2.6 chroot at $chroot_dir (about 5 minutes)…" >&2
  bash "$shared/bench/make-trixie-torch-chroot.sh" >&2
fi
mountpoint -q "$chroot_dir/proc" || mount -t proc proc "$chroot_dir/proc"
cp "$script" "$chroot_dir/tmp/pt_bilevel_step.py"
cp "$peer" "$chroot_dir/tmp/pt_peer.py"

echo "# $(uptime)"
echo "# PyTorch 2.6 (chroot), $model, threads $threads, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, malloc $peer_malloc"
pt=$(chroot "$chroot_dir" env OMP_WAIT_POLICY="$OMP_WAIT_POLICY" "${peer_env[@]}" python3 /tmp/pt_peer.py --model "$model" --steps "$steps" --threads "$threads")
echo "$pt"
if [ "$torch113" = 1 ]; then
  if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
    echo "bench-pytorch.sh: installing python3-torch (PyTorch 1.13) with apt…" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >&2
  fi
  echo "# PyTorch 1.13 (Debian 12)"
  PYTHONPATH="$(dirname "$script")" /usr/bin/python3 "$peer" --model "$model" --steps "$steps" --threads "$threads"
fi

echo "# Dabo"
dabo=$("$root/dabo" bench speed --model "$model" --steps "$steps" --large-steps "$steps" --threads "$threads" --soak-steps 0 --no-data-path --json)
echo "$dabo"
echo "# $(uptime)"

python3 - "$pt" "$dabo" <<'PY'
import json, sys
pt = {j["mode"]: j["median_ms"] for j in map(json.loads, sys.argv[1].splitlines())}
d = json.loads(sys.argv[2].splitlines()[0])
print(f"# {d['model']}: plain Dabo {d['plain_ms']:.1f} ms vs PyTorch {pt['plain']:.1f} ms (Dabo/PyTorch {d['plain_ms'] / pt['plain']:.2f}); "
      f"bilevel K=1 exact Dabo {d['bilevel_k1_exact_ms']:.1f} ms vs PyTorch {pt['bilevel']:.1f} ms (Dabo/PyTorch {d['bilevel_k1_exact_ms'] / pt['bilevel']:.2f}); "
      f"K=1 fd Dabo {d['bilevel_k1_fd_ms']:.1f} ms (Dabo/PyTorch exact {d['bilevel_k1_fd_ms'] / pt['bilevel']:.2f}); "
      f"ratio bilevel/plain Dabo exact {d['ratio_k1_exact']:.2f}, fd {d['ratio_k1_fd']:.2f} vs PyTorch {pt['bilevel'] / pt['plain']:.2f}")
PY
