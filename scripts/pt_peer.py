#!/usr/bin/env python3
"""PyTorch peer of `dabo bench speed`, run by scripts/bench-pytorch.sh: the plain and the K = 1 bilevel
step of ../shared/bench/pt_bilevel_step.py (imported from the same directory; it stays unmodified) on
the network Dabo times:
  small-cnn       Dabo's small-cnn: bias-free conv3x3(32)-BN-ReLU-maxpool2, conv3x3(64)-BN-ReLU-maxpool2,
                  conv3x3(128)-BN-ReLU, global average pooling, linear (src/Dabo/Models/SmallCnn.cs)
  small-cnn-nobn  the shared peer's small CNN (biased convolutions, no BatchNorm; Dabo's small-cnn-nobn)
  resnet18        the CIFAR ResNet-18 with batch-statistics BatchNorm (both sides alike)
Prints one JSON line per mode (plain, bilevel), as the shared script does.
Usage: python3 pt_peer.py --model small-cnn --batch 128 --steps 20 --threads 2
"""
import argparse, json, statistics, time
import torch
import torch.nn.functional as F
import pt_bilevel_step as shared


class SmallCnnBn:
    """Dabo's small-cnn as a functional model: per stage a bias-free conv, batch-statistics BN, ReLU."""
    def __init__(self, cin=3, ncls=10):
        P = []
        for w in (32, 64, 128):
            P += [shared.conv_w(w, cin, 3)] + shared.bn_params(w)
            cin = w
        head = torch.nn.Linear(128, ncls)  # PyTorch's default init, as Dabo's Linear
        P += [head.weight.detach().clone().requires_grad_(), head.bias.detach().clone().requires_grad_()]
        self.params = P

    def forward(self, x, p=None):
        p = p or self.params
        for i in range(3):
            x = F.conv2d(x, p[3 * i], padding=1)
            x = F.relu(F.batch_norm(x, None, None, p[3 * i + 1], p[3 * i + 2], training=True))
            if i < 2:
                x = F.max_pool2d(x, 2)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return F.linear(x, p[9], p[10])


MODELS = {"small-cnn": SmallCnnBn, "small-cnn-nobn": shared.SmallCnn, "resnet18": shared.ResNet18}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="small-cnn", choices=sorted(MODELS))
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--size", type=int, default=32)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = MODELS[args.model]()
    aug = shared.SmallAffine()
    lr, mom, wd = 0.1, 0.9, 5e-4
    opt_c = torch.optim.SGD(net.params, lr=lr, momentum=mom, weight_decay=wd)
    opt_a = torch.optim.SGD(aug.parameters(), lr=0.2, momentum=0.9, weight_decay=0.01)
    moms = [torch.zeros_like(p) for p in net.params]
    x = torch.randn(args.batch, 3, args.size, args.size); y = torch.randint(0, 10, (args.batch,))
    xv = torch.randn(args.batch, 3, args.size, args.size); yv = torch.randint(0, 10, (args.batch,))

    def plain():
        opt_c.zero_grad()
        with torch.no_grad():
            xa = aug(x)
        F.cross_entropy(net.forward(xa), y).backward()
        opt_c.step()

    def bilevel():  # as the shared script: momentum-aware look-ahead, backward through it into the augmenter
        opt_c.zero_grad(); opt_a.zero_grad()
        loss = F.cross_entropy(net.forward(aug(x)), y)
        grads = torch.autograd.grad(loss, net.params, create_graph=True)
        new = []
        for i, (p, g) in enumerate(zip(net.params, grads)):
            moms[i] = mom * moms[i].detach() + g
            new.append(p.detach() - lr * moms[i])
        F.cross_entropy(net.forward(xv, new), yv).backward()
        opt_a.step()
        for p, g in zip(net.params, grads):
            p.grad = g.detach()
        opt_c.step()

    # Modes take turns step by step, as in `dabo bench speed`, so that load changes hit both alike.
    fns = {"plain": plain, "bilevel": bilevel}
    times = {m: [] for m in fns}
    for i in range(args.warmup + args.steps):
        for mode, fn in fns.items():
            t = time.perf_counter(); fn(); dt = time.perf_counter() - t
            if i >= args.warmup:
                times[mode].append(dt * 1000)
    for mode in fns:
        print(json.dumps({"impl": "pytorch-" + torch.__version__, "model": args.model, "mode": mode,
                          "batch": args.batch, "median_ms": round(statistics.median(times[mode]), 1),
                          "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
