#!/usr/bin/env python3
"""PyTorch reference of Homegrown's GAN, to measure the engine against on the same machine.

Same network as main/core/ml/{generator,encoder,gan,layers,text}.ts: parameter names, shapes and
initialisation follow the engine (in torch's weight layouts), so the counts match exactly. Same step as
train.ts: a discriminator phase and a generator phase, each Adam (betas 0, 0.99), DiffAugment
(augment.ts) on real and fake, hinge loss, then the EMA of the generator. Tensors are NCHW here.
The generator's up-sampling layer is whichever the engine uses (--upsample; bench/run.ts reads it
from the engine's parameters).

  /usr/bin/python3 bench/torch_gan.py --size 32 --steps 20     # prints one JSON object on stdout
  /usr/bin/python3 bench/torch_gan.py --size 32 --params-only  # parameter counts only
"""
import argparse
import json
import math
import os
import random
import resource
import statistics
import sys
import time

# OpenMP threads that spin while waiting (libgomp's default) made this step 10× slower whenever
# another process held a core (measured on a 2-core machine under load); sleeping waits cost little
# when the machine is quiet. Set OMP_WAIT_POLICY=active to measure the default. Must precede torch.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def channel_plan(size, base):
    ups = int(math.log2(size // 4))
    return [min(256, base * 2 ** (ups - i)) for i in range(ups + 1)]


class Builder:
    """Mirror of params.ts's ParamBuilder: He-normal weights, zero biases, the engine's names."""

    def __init__(self, gen):
        self.p = {}
        self.gen = gen

    def normal(self, name, shape, fan_in, gain=math.sqrt(2)):
        w = torch.randn(shape, generator=self.gen) * (gain / math.sqrt(fan_in))
        self.p[name] = torch.nn.Parameter(w)

    def zeros(self, name, n):
        self.p[name] = torch.nn.Parameter(torch.zeros(n))

    def dense(self, name, n_in, n_out, gain=math.sqrt(2)):
        self.normal(f"{name}/w", (n_in, n_out), n_in, gain)  # [in, out] as in the engine: x @ w + b
        self.zeros(f"{name}/b", n_out)

    def conv(self, name, k, c_in, c_out, gain=math.sqrt(2)):
        self.normal(f"{name}/w", (c_out, c_in, k, k), k * k * c_in, gain)
        self.zeros(f"{name}/b", c_out)

    def up_conv(self, name, c_in, c_out, kind):
        if kind == "resize":  # nearest ×2, then a 3×3 conv
            self.conv(name, 3, c_in, c_out)
            return
        if kind == "transposed":  # 4×4 stride 2; it sees about 16·c_in/4 inputs per output pixel
            self.normal(f"{name}/w", (c_in, c_out, 4, 4), 4 * c_in)
            self.zeros(f"{name}/b", c_out)
            return
        # Sub-pixel 3×3 conv to 4·c_out with ICNR init: the four sub-pixel kernels start equal. Torch's
        # pixel_shuffle reads channel c·4 + offset where the engine reads offset·c_out + c: the same
        # layer up to the order of the conv's output channels.
        w = torch.randn((c_out, c_in, 3, 3), generator=self.gen) * math.sqrt(2 / (9 * c_in))
        self.p[f"{name}/w"] = torch.nn.Parameter(w.repeat_interleave(4, 0))
        self.zeros(f"{name}/b", 4 * c_out)

    def text(self, name, vocab, emb, out):
        self.normal(f"{name}/emb", (vocab, emb), 1, 1)
        self.dense(f"{name}/fc", emb, out)


def build_gan(a, gen):
    b = Builder(gen)
    ch = channel_plan(a.size, a.channels)
    b.text("g/text", a.vocab, a.emb_dim, a.emb_dim)
    b.dense("g/map1", a.z_dim + a.emb_dim, a.style_dim)
    b.dense("g/map2", a.style_dim, a.style_dim)
    b.dense("g/in", a.style_dim, 16 * ch[0])
    b.dense("g/film0", a.style_dim, 2 * ch[0], 0.1)
    for i in range(1, len(ch)):
        b.up_conv(f"g/up{i}", ch[i - 1], ch[i], a.upsample)
        b.dense(f"g/film{i}", a.style_dim, 2 * ch[i], 0.1)
    b.conv("g/rgb", 3, ch[-1], 3, 1)
    n = len(ch) - 1
    b.conv("d/rgb", 3, 3, ch[n])
    for i in range(n, 0, -1):
        b.conv(f"d/down{i}", 3, ch[i], ch[i - 1])
    b.dense("d/fc", 16 * ch[0], ch[0])
    b.dense("d/out", ch[0], 1)
    b.text("d/text", a.vocab, a.emb_dim, ch[0])
    return b.p


def dense(p, name, x):
    return torch.addmm(p[f"{name}/b"], x, p[f"{name}/w"])


def lrelu(x):
    return F.leaky_relu(x, 0.2)


def pixel_norm(x):
    return x * torch.rsqrt(x.square().mean(1, keepdim=True) + 1e-8)


def film(p, name, x, s):
    gamma, beta = dense(p, name, s).chunk(2, 1)
    return x * (gamma + 1)[:, :, None, None] + beta[:, :, None, None]


def encode_text(p, name, bags):
    return lrelu(dense(p, f"{name}/fc", bags @ p[f"{name}/emb"]))


def generate(p, z, bags):
    style = lrelu(dense(p, "g/map2", lrelu(dense(p, "g/map1", torch.cat([z, encode_text(p, "g/text", bags)], 1)))))
    c0 = p["g/film0/b"].shape[0] // 2
    # The engine reshapes to NHWC [B, 4, 4, C]; the same element order here, then to NCHW.
    h = dense(p, "g/in", style).view(-1, 4, 4, c0).permute(0, 3, 1, 2)
    h = lrelu(film(p, "g/film0", pixel_norm(h), style))
    i = 1
    while f"g/up{i}/w" in p:
        h = lrelu(film(p, f"g/film{i}", pixel_norm(up_conv(p, f"g/up{i}", h)), style))
        i += 1
    return torch.tanh(F.conv2d(h, p["g/rgb/w"], p["g/rgb/b"], padding=1))


def up_conv(p, name, x):
    w, b = p[f"{name}/w"], p[f"{name}/b"]
    if w.shape[-1] == 4:
        # TF's 'same' transposed conv with k=4, s=2 crops one pixel on each side: padding=1 doubles H and W.
        return F.conv_transpose2d(x, w, b, stride=2, padding=1)
    if w.shape[0] == p[name.replace("/up", "/film") + "/b"].shape[0] // 2:  # resize-conv: [out, in, 3, 3]
        return F.conv2d(F.interpolate(x, scale_factor=2, mode="nearest"), w, b, padding=1)
    return F.pixel_shuffle(F.conv2d(x, w, b, padding=1), 2)


def discriminate(p, x, bags):
    h = lrelu(F.conv2d(x, p["d/rgb/w"], p["d/rgb/b"], padding=1))
    i = 1
    while f"d/down{i + 1}/w" in p:
        i += 1
    for j in range(i, 0, -1):
        # TF's 'same' pads a 3×3 stride-2 conv (0, 1), torch's padding=1 pads (1, 1): same output size
        # and work, a one-pixel shift in alignment.
        h = lrelu(F.conv2d(h, p[f"d/down{j}/w"], p[f"d/down{j}/b"], stride=2, padding=1))
    # Flattened 4×4 features as the engine does (NHWC order, so the weights mean the same).
    feat = lrelu(dense(p, "d/fc", h.permute(0, 2, 3, 1).reshape(h.shape[0], -1)))
    proj = (feat * encode_text(p, "d/text", bags)).sum(1) / math.sqrt(feat.shape[1])
    return dense(p, "d/out", feat).view(-1) + proj


def shift_matrices(shifts, n):
    """[B, 1, n, n]: row i picks source row i - shift (zero outside): the shift augment.ts copies rows for."""
    i = torch.arange(n)
    return (i[None, :, None] - torch.tensor(shifts)[:, None, None] == i[None, None, :]).float().unsqueeze(1)


def spans(centres, half, n):
    """[B, n] booleans: inside [centre - half, centre + half)."""
    i, c = torch.arange(n), torch.tensor(centres)[:, None]
    return (i >= c - half) & (i < c + half)


def diff_augment(x, rnd):
    """augment.ts's colour, translation and cutout, with per-image parameters drawn on the host."""
    b, _, h, w = x.shape
    per = lambda f: torch.tensor([f() for _ in range(b)]).view(b, 1, 1, 1)
    # Brightness, saturation and contrast folded into one affine map, as augment.ts computes them.
    bright, sat, contrast = per(lambda: rnd.random() - 0.5), per(lambda: rnd.random() * 2), per(lambda: rnd.random() + 0.5)
    cs = contrast * sat
    x = x * cs + x.mean(1, keepdim=True) * (contrast - cs) + x.mean((1, 2, 3), keepdim=True) * (1 - contrast) + bright
    # Translation by products with one-hot shift matrices: cheap in torch and the same values as the
    # engine's row copies (augment.ts), zero fill included.
    t = round(h * 0.125)
    dy = [rnd.randrange(2 * t + 1) - t for _ in range(b)]
    dx = [rnd.randrange(2 * t + 1) - t for _ in range(b)]
    x = shift_matrices(dy, h) @ x @ shift_matrices(dx, w).transpose(2, 3)
    # Cutout of half the size; sizes are powers of two, so the engine's bounds are whole numbers.
    cy = [rnd.randrange(h + 1) for _ in range(b)]
    cx = [rnd.randrange(w + 1) for _ in range(b)]
    hole = spans(cy, h // 4, h)[:, :, None] & spans(cx, w // 4, w)[:, None, :]
    return x * (~hole).float().unsqueeze(1)


class Trainer:
    def __init__(self, a):
        self.a = a
        self.gen = torch.Generator().manual_seed(a.seed)
        self.rnd = random.Random(a.seed)
        self.p = build_gan(a, self.gen)
        self.g = [v for k, v in self.p.items() if k.startswith("g/")]
        self.d = [v for k, v in self.p.items() if k.startswith("d/")]
        adam = dict(lr=a.lr, betas=(a.beta1, a.beta2), eps=1e-8)
        self.opt_g = torch.optim.Adam(self.g, **adam)
        self.opt_d = torch.optim.Adam(self.d, **adam)
        self.ema = [v.detach().clone() for v in self.g]
        self.step_count = 0
        # Synthetic data in the engine's TrainData layout: uint8 NHWC images, caption bags of 3 tokens.
        n = 64
        self.images = torch.randint(0, 256, (n, a.size, a.size, 3), dtype=torch.uint8, generator=self.gen)
        self.bags = torch.zeros(n, a.vocab)
        for i in range(n):
            self.bags[i, torch.randperm(a.vocab - 1, generator=self.gen)[:3] + 1] = 1 / 3

    def noise(self):
        return torch.randn(self.a.batch, self.a.z_dim, generator=self.gen)

    def step(self):
        a, p = self.a, self.p
        idx = torch.randint(0, len(self.images), (a.batch,), generator=self.gen)
        real = self.images[idx].permute(0, 3, 1, 2).float() / 127.5 - 1
        bags = self.bags[idx]
        # Discriminator phase: the engine differentiates w.r.t. d/ only, so the generator runs forward only.
        with torch.no_grad():
            fake = generate(p, self.noise(), bags)
        # Real and fake through D as one batch of 2B, as the engine does (gan.ts).
        both = torch.cat([diff_augment(real, self.rnd), diff_augment(fake, self.rnd)])
        on_real, on_fake = discriminate(p, both, torch.cat([bags, bags])).chunk(2)
        loss_d = F.relu(1 - on_real).mean() + F.relu(1 + on_fake).mean()
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt_d.step()
        # Generator phase: no filter gradients for d/, as in the engine.
        for v in self.d:
            v.requires_grad_(False)
        loss_g = -discriminate(p, diff_augment(generate(p, self.noise(), bags), self.rnd), bags).mean()
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()
        for v in self.d:
            v.requires_grad_(True)
        beta = min(a.ema, (1 + self.step_count) / (10 + self.step_count))
        with torch.no_grad():
            for e, v in zip(self.ema, self.g):
                e.mul_(beta).add_(v, alpha=1 - beta)
        self.step_count += 1
        return loss_d.item(), loss_g.item()


def blas_info():
    """Which BLAS library the process really loaded: Debian's torch reports BLAS_INFO=generic and links
    libblas.so.3, which the alternatives system points at OpenBLAS or the slow reference BLAS."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            libs = {os.path.realpath(line.split()[-1]) for line in f if "blas" in line.rsplit("/", 1)[-1]}
    except OSError:
        pass
    config = torch.__config__.show()
    setting = next((s.strip() for s in config.replace(",", "\n").splitlines() if "BLAS_INFO" in s), "BLAS_INFO unknown")
    names = sorted(libs) or [setting]
    return {"libraries": names, "openblas": any("openblas" in s.lower() for s in names), "config": setting}


def sgemm_gflops(n=512, reps=10):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return round(2 * n**3 / statistics.median(times) / 1e9, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=32, choices=(32, 64, 128))
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=20, help="timed steps; the median is reported")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=24, help="vocabulary size including <unk>")
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    ap.add_argument("--seed", type=int, default=0)
    # Defaults of main/core/ml/config.ts; bench/run.ts passes the engine's values explicitly.
    ap.add_argument("--channels", type=int, default=16)
    ap.add_argument("--z-dim", type=int, default=64)
    ap.add_argument("--emb-dim", type=int, default=64)
    ap.add_argument("--style-dim", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--beta1", type=float, default=0.0)
    ap.add_argument("--beta2", type=float, default=0.99)
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument(
        "--upsample", choices=("resize", "subpixel", "transposed"), default="resize", help="the engine's up-sampling layer (run.ts passes it)"
    )
    ap.add_argument("--params-only", action="store_true", help="print parameter counts and exit")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    trainer = Trainer(a)
    out = {
        "impl": "torch",
        "size": a.size,
        "upsample": a.upsample,
        "params": sum(v.numel() for v in trainer.p.values()),
        "param_sizes": {k: v.numel() for k, v in trainer.p.items()},
    }
    if a.params_only:
        print(json.dumps(out))
        return

    blas = blas_info()
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, "
        f"BLAS: {', '.join(blas['libraries'])}",
        file=sys.stderr,
    )
    if not blas["openblas"]:
        print(
            "warning: torch is not using OpenBLAS; without it Debian's torch falls back to the reference BLAS, "
            "about 30× slower at sgemm, and is a weak reference: apt-get install libopenblas0-pthread",
            file=sys.stderr,
        )
    for _ in range(a.warmup):
        trainer.step()
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        trainer.step()
        times.append((time.perf_counter() - t) * 1000)
    step_ms = statistics.median(times)
    parallel = torch.__config__.parallel_info()
    out.update(
        batch=a.batch,
        steps=a.steps,
        warmup=a.warmup,
        step_ms=round(step_ms, 2),
        step_ms_min=round(min(times), 2),
        images_per_sec=round(a.batch * 1000 / step_ms, 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        torch=torch.__version__,
        threads=torch.get_num_threads(),
        omp_wait_policy=os.environ["OMP_WAIT_POLICY"],
        parallel_backend=next((s.split(":", 1)[1].strip() for s in parallel.splitlines() if "parallel backend" in s), "unknown"),
        blas=dict(blas, sgemm_gflops=sgemm_gflops()),
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
