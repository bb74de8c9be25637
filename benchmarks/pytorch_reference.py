"""PyTorch CPU reference for `lux-bench tensor`: the same two models and training step.

One step = forward + backward + Adam (lr 1e-3). Prints steps/s (median of several timed runs)
and torch.get_num_threads(). Run: python3 benchmarks/pytorch_reference.py [--runs 5]
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ReferenceCNN(nn.Module):
    """64x64x3 input, four 4x4 stride-2 convs (32/64/128/256) + LeakyReLU, FC 128, scalar head."""

    def __init__(self):
        super().__init__()
        chans = [3, 32, 64, 128, 256]
        self.convs = nn.ModuleList(nn.Conv2d(a, b, 4, stride=2, padding=1) for a, b in zip(chans, chans[1:]))
        self.fc = nn.Linear(256 * 4 * 4, 128)
        self.head = nn.Linear(128, 1)

    def forward(self, x):
        for c in self.convs:
            x = F.leaky_relu(c(x), 0.2)
        x = F.leaky_relu(self.fc(x.flatten(1)), 0.2)
        return self.head(x)


def double_conv(a, b):
    return nn.Sequential(nn.Conv2d(a, b, 3, padding=1), nn.LeakyReLU(0.2), nn.Conv2d(b, b, 3, padding=1), nn.LeakyReLU(0.2))


class UNet(nn.Module):
    """Channels 16-32-64-128, two 3x3 convs per stage, 2x2 max-pool down, 2x2 stride-2 transposed
    conv up, skips concatenated, 1x1 conv to 3 channels."""

    def __init__(self, ch=(16, 32, 64, 128)):
        super().__init__()
        self.downs = nn.ModuleList()
        prev = 3
        for c in ch:
            self.downs.append(double_conv(prev, c))
            prev = c
        self.ups = nn.ModuleList()
        self.upconvs = nn.ModuleList()
        for c in reversed(ch[:-1]):
            self.upconvs.append(nn.ConvTranspose2d(prev, c, 2, stride=2))
            self.ups.append(double_conv(2 * c, c))
            prev = c
        self.out = nn.Conv2d(prev, 3, 1)

    def forward(self, x):
        skips = []
        for i, d in enumerate(self.downs):
            x = d(x)
            if i < len(self.downs) - 1:
                skips.append(x)
                x = F.max_pool2d(x, 2)
        for up, d in zip(self.upconvs, self.ups):
            x = up(x)
            x = d(torch.cat([x, skips.pop()], dim=1))
        return self.out(x)


def bench(name, model, x, target, loss_fn, runs, steps):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()

    for _ in range(2):
        step()  # warm-up
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(steps / (time.perf_counter() - t0))
    print(f"{name}: {statistics.median(rates):.3f} steps/s (median of {runs} runs x {steps} steps; "
          f"min {min(rates):.3f}, max {max(rates):.3f})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, mkldnn {torch.backends.mkldnn.is_available()}")
    x = torch.randn(64, 3, 64, 64)
    bench("reference CNN 64x64 b64 (MSE)", ReferenceCNN(), x, torch.randn(64, 1), F.mse_loss, args.runs, 3)
    x = torch.randn(4, 3, 256, 256)
    bench("U-Net 256x256 b4 (L1)", UNet(), x, torch.randn(4, 3, 256, 256), F.l1_loss, args.runs, 2)


if __name__ == "__main__":
    main()
