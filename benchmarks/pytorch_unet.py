"""The toolkit's default text-to-image UNet, written again in PyTorch, to time it against ldm-lab's engine.

Same architecture and sizes as org.ldmlab.unet.UNet with UNetConfig.textToImage(64): latents 8x8x4, widths
32/64, a ResBlock and a SpatialTransformer (self-attention, cross-attention to a [B, 16, 64] context, GEGLU
feed-forward) per level and in the middle, GroupNorm(8, eps 1e-6). Prints the parameter count (which must match
`ldmlab bench`), the median time of a training step (forward, backward, Adam) at batch 32 and of a no-grad
forward at batch 32 (16 images with classifier-free guidance). Run with Debian's python3-torch: /usr/bin/python3 benchmarks/pytorch_unet.py [threads]
"""
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def gn(c):
    return nn.GroupNorm(8, c, eps=1e-6)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.n1, self.c1 = gn(cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.e = nn.Linear(emb, cout)
        self.n2, self.c2 = gn(cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Identity() if cin == cout else nn.Conv2d(cin, cout, 1)

    def forward(self, x, emb):
        h = self.c1(F.silu(self.n1(x))) + self.e(F.silu(emb))[:, :, None, None]
        return self.skip(x) + self.c2(F.silu(self.n2(h)))


class Attention(nn.Module):
    def __init__(self, dim, ctx, heads=4):
        super().__init__()
        self.h = heads
        self.q, self.k, self.v = nn.Linear(dim, dim, bias=False), nn.Linear(ctx, dim, bias=False), nn.Linear(ctx, dim, bias=False)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, c):
        b, n, d = x.shape
        split = lambda t: t.reshape(b, t.shape[1], self.h, d // self.h).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(c)), split(self.v(c))
        p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // self.h), dim=-1)
        return self.o((p @ v).transpose(1, 2).reshape(b, n, d))


class SpatialTransformer(nn.Module):
    def __init__(self, c, ctx):
        super().__init__()
        self.norm, self.pin, self.pout = gn(c), nn.Conv2d(c, c, 1), nn.Conv2d(c, c, 1)
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(c), nn.LayerNorm(c), nn.LayerNorm(c)
        self.a1, self.a2 = Attention(c, c), Attention(c, ctx)
        self.ff1, self.ff2 = nn.Linear(c, 8 * c), nn.Linear(4 * c, c)

    def forward(self, x, ctx):
        b, c, h, w = x.shape
        t = self.pin(self.norm(x)).flatten(2).transpose(1, 2)
        t = t + self.a1(self.ln1(t), self.ln1(t))
        t = t + self.a2(self.ln2(t), ctx)
        a, g = self.ff1(self.ln3(t)).chunk(2, dim=-1)
        t = t + self.ff2(a * F.gelu(g))
        return x + self.pout(t.transpose(1, 2).reshape(b, c, h, w))


class UNet(nn.Module):
    def __init__(self, ch=(32, 64), ctx=64, tf=64):
        super().__init__()
        emb = 4 * tf
        self.tf = tf
        self.t1, self.t2 = nn.Linear(tf, emb), nn.Linear(emb, emb)
        self.cin = nn.Conv2d(4, ch[0], 3, padding=1)
        self.dr, self.da, self.ds = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for l, c in enumerate(ch):
            self.dr.append(ResBlock(ch[max(l - 1, 0)], c, emb))
            self.da.append(SpatialTransformer(c, ctx))
            if l < len(ch) - 1:
                self.ds.append(nn.Conv2d(c, c, 3, stride=2, padding=1))
        d = ch[-1]
        self.m1, self.ma, self.m2 = ResBlock(d, d, emb), SpatialTransformer(d, ctx), ResBlock(d, d, emb)
        self.ur, self.ua, self.us = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for l in reversed(range(len(ch))):
            cin = (d if l == len(ch) - 1 else ch[l + 1]) + ch[l]
            self.ur.append(ResBlock(cin, ch[l], emb))
            self.ua.append(SpatialTransformer(ch[l], ctx))
            if l > 0:
                self.us.append(nn.Conv2d(ch[l], ch[l], 3, padding=1))
        self.nout, self.cout = gn(ch[0]), nn.Conv2d(ch[0], 4, 3, padding=1)

    def forward(self, z, t, ctx):
        half = self.tf // 2
        f = torch.exp(-math.log(10000.0) * torch.arange(half) / half)
        a = t[:, None].float() * f[None]
        emb = self.t2(F.silu(self.t1(torch.cat([a.cos(), a.sin()], dim=1))))
        h, skips = self.cin(z), []
        for l in range(len(self.dr)):
            h = self.da[l](self.dr[l](h, emb), ctx)
            skips.append(h)
            if l < len(self.ds):
                h = self.ds[l](h)
        h = self.m2(self.ma(self.m1(h, emb), ctx), emb)
        for i in range(len(self.ur)):
            h = self.ua[i](self.ur[i](torch.cat([h, skips[-1 - i]], dim=1), emb), ctx)
            if i < len(self.us):
                h = self.us[i](F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.cout(F.silu(self.nout(h)))


def median_ms(fn, repeats):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    torch.manual_seed(0)
    net = UNet()
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    z, ctx, eps = torch.randn(32, 4, 8, 8), torch.randn(32, 16, 64), torch.randn(32, 4, 8, 8)
    t = torch.arange(32) * 31 % 1000

    def train_step():
        opt.zero_grad()
        F.mse_loss(net(z, t, ctx), eps).backward()
        opt.step()

    def forward32():
        with torch.no_grad():
            net(z, t, ctx)

    print(f"pytorch {torch.__version__} threads {torch.get_num_threads()}")
    print(f"parameters {sum(p.numel() for p in net.parameters())}")
    print(f"train_step_b32_ms {median_ms(train_step, 20):.1f}")
    print(f"forward_b32_ms {median_ms(forward32, 30):.1f}")


if __name__ == "__main__":
    main()
