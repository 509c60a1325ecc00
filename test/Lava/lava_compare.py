"""Compare runtime/embedded/snn_lava.h with Lava itself, spike for spike.

  lava_compare.py random --seeds 1,2,3 --work DIR --driver NETX_RUN --oracle RUN_NETX
  lava_compare.py shared --shared DIR --work DIR --driver NETX_RUN --oracle RUN_NETX

`random` writes small random netx files with h5py (dense and dense_rec
layers of CUBA neurons; mixed, excitatory and inhibitory weights, some
fractional; weight scales that make netx pick weight_exp from -8 to 0 and,
with weights beyond 255, positive ones; iDecay/vDecay giving du and dv of
-1, 0, 4095 and 4096; biases; delays; fan-ins and rates that make u wrap and
v saturate). `shared` runs ../shared/netx/oxford.net on random spikes and
tiny.net on random input-layer biases. Each file runs on Lava
(run_netx.py, Lava's PyLifModelBitAcc / PyDenseModelBitAcc /
PyConvModelFixed) and on the driver built from snn_lava.h; the outputs must
be equal at every step. Prints one line per case; exits 1 on a difference.
"""
import argparse
import os
import subprocess
import sys

import h5py
import numpy as np


def write_neuron(group, rng, kind="CUBA", vth_max=400):
    n = group.create_group("neuron")
    n.create_dataset("type", data=np.bytes_(kind), dtype=h5py.string_dtype())
    # iDecay 1 / 4096 / 0 give du = 0 / 4095 / -1; vDecay 0 / 4095 / 4096.
    i_decay = int(rng.choice([0, 1, 4096, rng.integers(1, 4096)]))
    v_decay = int(rng.choice([0, 4095, 4096, rng.integers(1, 4096)]))
    n.create_dataset("iDecay", data=np.int64(i_decay))
    n.create_dataset("vDecay", data=np.int64(v_decay))
    n.create_dataset("vThMant", data=np.int64(rng.integers(1, vth_max)))
    n.create_dataset("refDelay", data=np.int64(1))
    n.create_dataset("gradedSpike", data=np.bool_(False))
    return i_decay, v_decay


def random_weights(rng, rows, cols):
    sign = rng.choice(["mixed", "excitatory", "inhibitory"])
    # The largest magnitude decides netx's weight_exp: 1..31 give -7..-3,
    # 127..254 give -1..0, 300..700 give positive exponents (and weights
    # that numpy's negative shift zeroes).
    top = int(rng.choice([1, 3, 7, 31, 60, 127, 200, 254, 300, 700]))
    w = rng.integers(-top, top + 1, size=(rows, cols)).astype(np.float32)
    if rng.random() < 0.3:
        w += rng.choice([0.0, 0.5, -0.7], size=w.shape).astype(np.float32)
    if sign == "excitatory":
        w = np.abs(w)
    elif sign == "inhibitory":
        w = -np.abs(w) - 1
    if not np.any(np.trunc(w)):
        w[0, 0] = 1.0  # netx cannot load an all-zero matrix
    return sign, top, w


def random_net(path, seed):
    """A random netx file of 1-3 dense layers; returns its description."""
    rng = np.random.default_rng(seed)
    wrap = seed % 3 == 0  # large fan-in and positive weights: u wraps
    n_in = int(rng.integers(400, 700)) if wrap else int(rng.integers(5, 40))
    sizes = [int(rng.integers(3, 25)) for _ in range(int(rng.integers(1, 4)))]
    notes = []
    with h5py.File(path, "w") as f:
        prev = n_in
        for i, n in enumerate(sizes):
            g = f.create_group(f"layer/{i}")
            rec = rng.random() < 0.25
            g.create_dataset("type", data=[np.bytes_("dense_rec" if rec else "dense")],
                             dtype="S10")
            g.create_dataset("shape", data=np.array([n], dtype=np.int64))
            i_decay, v_decay = write_neuron(g, rng)
            sign, top, w = random_weights(rng, n, prev)
            if wrap and i == 0:
                w = np.full((n, prev), 255, dtype=np.float32)
                g["neuron/iDecay"][()] = 1  # du = 0: u keeps growing
                i_decay, sign, top = 1, "excitatory", 255
            g.create_dataset("weight", data=w)
            g.create_dataset("inFeatures", data=np.int64(prev))
            g.create_dataset("outFeatures", data=np.int64(n))
            if rec:
                _, _, wr = random_weights(rng, n, n)
                g.create_dataset("weight_rec", data=wr)
            if rng.random() < 0.5:
                g.create_dataset("bias", data=rng.integers(-300, 300, size=n)
                                 .astype(np.float32))
            if not rec and rng.random() < 0.3:
                g.create_dataset("delay", data=rng.integers(0, 5, size=n)
                                 .astype(np.float32))
            notes.append(f"{'dense_rec' if rec else 'dense'} {prev}->{n} {sign} "
                         f"|w|<={top} iDecay={i_decay} vDecay={v_decay}")
            prev = n
    rate = 0.9 if wrap else float(rng.uniform(0.1, 0.6))
    return n_in, rate, notes


def random_conv_net(path, seed):
    """An input layer of C x H x W neurons driven by their bias, a conv with
    random kernel, stride, padding, dilation and groups, a flatten and a
    dense layer; returns the input size and a description."""
    rng = np.random.default_rng(seed)
    while True:
        c, h, w = (int(v) for v in rng.integers([1, 4, 4], [5, 12, 12]))
        groups = int(rng.choice([g for g in (1, 2, 3) if c % g == 0]))
        k = groups * int(rng.integers(1, 4))
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
        ph, pw = (int(v) for v in rng.integers(0, 3, size=2))
        dh, dw = (int(v) for v in rng.integers(1, 3, size=2))
        oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
        ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
        if oh >= 1 and ow >= 1:
            break
    with h5py.File(path, "w") as f:
        g = f.create_group("layer/0")
        g.create_dataset("type", data=[np.bytes_("input")], dtype="S10")
        g.create_dataset("shape", data=np.array([c, h, w], dtype=np.int64))
        write_neuron(g, rng, "LOIHI", vth_max=30)
        g = f.create_group("layer/1")
        g.create_dataset("type", data=[np.bytes_("conv")], dtype="S10")
        g.create_dataset("shape", data=np.array([k, oh, ow], dtype=np.int64))
        write_neuron(g, rng, vth_max=30)
        g.create_dataset("weight", data=rng.integers(-12, 13, size=(k, c // groups, kh, kw, 1))
                         .astype(np.float32))
        g.create_dataset("bias", data=rng.integers(-20, 20, size=k).astype(np.float32))
        for name, pair in (("kernelSize", (kh, kw)), ("stride", (sh, sw)),
                           ("padding", (ph, pw)), ("dilation", (dh, dw))):
            g.create_dataset(name, data=np.array(pair, dtype=np.int64))
        g.create_dataset("groups", data=np.int64(groups))
        g.create_dataset("inChannels", data=np.int64(c))
        g.create_dataset("outChannels", data=np.int64(k))
        f.create_group("layer/2").create_dataset("type", data=[np.bytes_("flatten")],
                                                 dtype="S10")
        n = int(rng.integers(3, 12))
        g = f.create_group("layer/3")
        g.create_dataset("type", data=[np.bytes_("dense")], dtype="S10")
        g.create_dataset("shape", data=np.array([n], dtype=np.int64))
        write_neuron(g, rng, vth_max=30)
        _, _, wd = random_weights(rng, n, k * oh * ow)
        g.create_dataset("weight", data=wd)
    return c * h * w, (f"input {c}x{h}x{w}; conv {k}x{oh}x{ow} kernel {kh}x{kw} "
                       f"stride {sh},{sw} padding {ph},{pw} dilation {dh},{dw} "
                       f"groups {groups}; flatten; dense {k * oh * ow}->{n}")


def spikes_equal(name, a, who_a, b, who_b):
    """Whether spike arrays [sample, step, output] agree; names the first
    difference when they do not."""
    if a.shape != b.shape:
        print(f"{name}: shapes differ: {who_a} {a.shape}, {who_b} {b.shape}")
        return False
    diff = np.argwhere(a != b)
    if len(diff):
        s, t, n = diff[0]
        print(f"{name}: {len(diff)} spikes differ; first at sample {s} step "
              f"{t + 1} output {n}: {who_a} {a[s, t, n]}, {who_b} {b[s, t, n]}")
        return False
    return True


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode != 0:
        sys.stderr.write(f"failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
        sys.exit(1)


WRAPS = SATURATIONS = 0  # over all cases, from the driver's --stats


def lava_to_chw(x, shape):
    """[..., W*H*C] in Lava's (W, H, C) order -> [..., C, H, W]."""
    if len(shape) != 3:
        return x.reshape(x.shape[:-1] + tuple(shape))
    c, h, w = shape
    return np.moveaxis(x.reshape(x.shape[:-1] + (w, h, c)), [-1, -2, -3],
                       [-3, -2, -1])


def chw_to_lava(x, shape):
    """[..., C, H, W] -> [..., W*H*C] in Lava's order."""
    if len(shape) != 3:
        return x.reshape(x.shape[:x.ndim - len(shape)] + (-1,))
    y = np.moveaxis(x, [-3, -2, -1], [-1, -2, -3])
    return y.reshape(y.shape[:-3] + (-1,))


def run_imported(args, name, net, x, steps):
    """Imports `net` into the snn dialect and runs it with snn-run --engine
    fixed; returns its output in run_netx.py's layout and order."""
    mlir = os.path.join(args.work, name + ".mlir")
    run([args.translate, "--import-netx", net, "-o", mlir])
    with h5py.File(net, "r") as f:
        layers = [f["layer"][str(i)] for i in range(len(f["layer"]))]
        first = layers[0]
        shape_in = [int(v) for v in first["shape"][()]] if "shape" in first else None
        shape_out = [int(v) for v in layers[-1]["shape"][()]]
    x = np.asarray(x)
    if steps:  # biases held over the steps, in (C, H, W)
        held = lava_to_chw(x.astype(np.float64), shape_in)
        x_snn = np.repeat(held[:, None], steps, axis=1)
    else:
        x_snn = x.astype(np.float64)
    inp = os.path.join(args.work, name + ".ir.in.npy")
    out = os.path.join(args.work, name + ".ir.out.npy")
    np.save(inp, x_snn)
    run([args.snn_run, mlir, "--engine", "fixed", "--input", inp,
         "--output", out])
    y = np.load(out)
    y = y.reshape(y.shape[:2] + tuple(shape_out))
    return chw_to_lava(y, shape_out).astype(np.uint8)


def compare(args, name, net, x, steps=None):
    """Runs `net` on Lava and on the driver (and, with --snn-run, imported
    into the dialect on the fixed-point reference); True when equal."""
    inp = os.path.join(args.work, name + ".in.npy")
    np.save(inp, x)
    extra = ["--steps", str(steps)] if steps else []
    lava_out = os.path.join(args.work, name + ".lava.npy")
    snn_out = os.path.join(args.work, name + ".snn.npy")
    if args.oracle:
        run([args.python, args.oracle, net, inp, lava_out] + extra)
    proc = subprocess.run([args.driver, net, inp, snn_out, "--stats"] + extra,
                          stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed: {args.driver} {net}")
    wraps = sats = 0
    for line in proc.stdout.splitlines():
        print("  " + line)
        words = line.replace(",", "").split()
        wraps += int(words[words.index("current") - 1])
        sats += int(words[words.index("voltage") - 1])
    global WRAPS, SATURATIONS
    WRAPS, SATURATIONS = WRAPS + wraps, SATURATIONS + sats
    if args.snn_run:
        ir = run_imported(args, name, net, x, steps)
        drv = np.load(snn_out)
        if ir.shape != drv.shape or np.any(ir != drv):
            diff = np.argwhere(ir != drv) if ir.shape == drv.shape else []
            where = (f"; first at sample {diff[0][0]} step {diff[0][1] + 1} "
                     f"output {diff[0][2]}" if len(diff) else "")
            print(f"{name}: imported IR on snn-run --engine fixed differs from "
                  f"snn_lava.h: shapes {ir.shape} {drv.shape}, "
                  f"{len(diff)} spikes differ{where}")
            return False, 0
        print(f"{name}: imported IR equals snn_lava.h, {int(ir.sum())} output "
              f"spikes")
        if not args.oracle:
            return True, int(ir.sum())
    lava, snn = np.load(lava_out), np.load(snn_out)
    if not spikes_equal(name, lava, "Lava", snn, "snn_lava.h"):
        return False, int(lava.sum()) if lava.shape == snn.shape else 0
    print(f"{name}: equal, {int(lava.sum())} output spikes over "
          f"{lava.shape[0]} sample(s) x {lava.shape[1]} steps")
    return True, int(lava.sum())


def cmd_random(args):
    ok, total = True, 0
    for seed in [int(s) for s in args.seeds.split(",") if s]:
        net = os.path.join(args.work, f"random{seed}.net")
        n_in, rate, notes = random_net(net, seed)
        rng = np.random.default_rng(1000 + seed)
        x = (rng.random((1, args.steps, n_in)) < rate).astype(np.uint8)
        print(f"seed {seed}: " + "; ".join(notes))
        same, spikes = compare(args, f"random{seed}", net, x)
        ok, total = ok and same, total + spikes
    for seed in [int(s) for s in args.conv_seeds.split(",") if s]:
        net = os.path.join(args.work, f"conv{seed}.net")
        n_in, note = random_conv_net(net, seed)
        rng = np.random.default_rng(2000 + seed)
        bias = rng.integers(-5, 40, size=(1, n_in))
        print(f"conv seed {seed}: {note}")
        same, spikes = compare(args, f"conv{seed}", net, bias, steps=args.steps)
        ok, total = ok and same, total + spikes
    if total == 0:
        print("no output spikes in any case: the comparison proves nothing")
        ok = False
    print(f"over all seeds: {total} output spikes, {WRAPS} current wraps, "
          f"{SATURATIONS} voltage saturations")
    if 0 in (WRAPS, SATURATIONS):
        print("the seeds did not make u wrap and v saturate: choose others")
        ok = False
    return ok


def cmd_shared(args):
    rng = np.random.default_rng(7)
    netx = os.path.join(args.shared, "netx")
    spikes = (rng.random((args.samples, args.steps, 200)) < 0.03).astype(np.uint8)
    same1, n1 = compare(args, "oxford", os.path.join(netx, "oxford.net"), spikes)
    bias = rng.integers(-10, 60, size=(args.samples, 16 * 16 * 3))
    same2, n2 = compare(args, "tiny", os.path.join(netx, "tiny.net"), bias,
                        steps=args.steps)
    return same1 and same2 and n1 > 0 and n2 > 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["random", "shared"])
    p.add_argument("--work", required=True)
    p.add_argument("--driver", required=True)
    p.add_argument("--oracle", default="",
                   help="run_netx.py; empty: compare the driver and the IR only")
    p.add_argument("--translate", help="snn-translate (with --snn-run)")
    p.add_argument("--snn-run", help="also import and run on --engine fixed")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--conv-seeds", default="")
    p.add_argument("--shared")
    p.add_argument("--steps", type=int, default=24)
    p.add_argument("--samples", type=int, default=2)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    ok = cmd_random(args) if args.mode == "random" else cmd_shared(args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
