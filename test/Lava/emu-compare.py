"""Run netx files with snn-run (the emulator by default) and compare with Lava.

  emu-compare.py shared --shared DIR --work DIR --snn-run SNN_RUN --target T
                 (--driver NETX_RUN | --oracle RUN_NETX --python PY)
  emu-compare.py random --seeds 3,8 --conv-seeds 2 --work DIR ... (same)

Each netx file (../shared/netx/oxford.net and tiny.net, or the random dense
and conv networks of lava_compare.py, whose generators this reuses) runs
through `snn-run FILE.net --engine emu --target T`: imported, mapped onto
the target, written as a chip image and run by the emulator. The reference
is Lava itself (--oracle, run_netx.py) or snn_lava.h's driver (--driver,
snn-lava-netx-run, which lava-shared.test and lava-random.test check equal
to Lava). Outputs must be equal at every step. Prints one line per case;
exits 1 on a difference or when no output neuron fired at all.
"""
import argparse
import os
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lava_compare  # noqa: E402  (the random-net generators and layouts)


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode != 0:
        sys.stderr.write(f"failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
        sys.exit(1)
    return proc.stdout


def shapes(net):
    with h5py.File(net, "r") as f:
        layers = [f["layer"][str(i)] for i in range(len(f["layer"]))]
        first = layers[0]
        shape_in = [int(v) for v in first["shape"][()]] if "shape" in first else None
        shape_out = [int(v) for v in layers[-1]["shape"][()]]
    return shape_in, shape_out


def reference(args, name, net, x, steps):
    """Lava's (or snn_lava.h's) output spikes, [samples, steps, outputs] in
    Lava's (W, H, C) order."""
    inp = os.path.join(args.work, name + ".in.npy")
    out = os.path.join(args.work, name + ".ref.npy")
    np.save(inp, x)
    extra = ["--steps", str(steps)] if steps else []
    if args.oracle:
        run([args.python, args.oracle, net, inp, out] + extra)
    else:
        run([args.driver, net, inp, out] + extra)
    return np.load(out)


def emulated(args, name, net, x, steps):
    """`snn-run FILE.net --engine emu`: a held input goes in as one array
    per sample with --steps, in SNNC's (C, H, W) order."""
    shape_in, shape_out = shapes(net)
    if steps:
        held = lava_compare.lava_to_chw(np.asarray(x, dtype=np.float64), shape_in)
        x_snn, extra = held, ["--steps", str(steps)]
    else:
        x_snn, extra = np.asarray(x, dtype=np.float64), []
    inp = os.path.join(args.work, name + ".emu.in.npy")
    out = os.path.join(args.work, name + ".emu.npy")
    np.save(inp, np.ascontiguousarray(x_snn))
    engine = ["--engine", args.engine]
    if args.engine == "emu":
        engine += ["--target", args.target]
    summary = run([args.snn_run, net] + engine + ["--input", inp, "--output", out]
                  + extra)
    y = np.load(out)
    y = y.reshape(y.shape[:2] + tuple(shape_out))
    events = [l for l in summary.splitlines() if "synaptic events" in l]
    return lava_compare.chw_to_lava(y, shape_out).astype(np.uint8), events


def compare(args, name, net, x, steps=None):
    ref = reference(args, name, net, x, steps)
    emu, events = emulated(args, name, net, x, steps)
    who = "Lava" if args.oracle else "snn_lava.h"
    if not lava_compare.spikes_equal(name, ref, who, emu, args.engine):
        return False, int(ref.sum()) if ref.shape == emu.shape else 0
    print(f"{name}: snn-run --engine {args.engine} equals {who}, "
          f"{int(ref.sum())} output spikes over "
          f"{ref.shape[0]} sample(s) x {ref.shape[1]} steps;"
          f"{events[0].split('per inference')[-1] if events else ''}")
    return True, int(ref.sum())


def cmd_shared(args):
    # The inputs of lava_compare.py's `shared` mode, drawn the same way.
    rng = np.random.default_rng(7)
    netx = os.path.join(args.shared, "netx")
    spikes = (rng.random((args.samples, args.steps, 200)) < 0.03).astype(np.uint8)
    ok1, n1 = compare(args, "oxford", os.path.join(netx, "oxford.net"), spikes)
    bias = rng.integers(-10, 60, size=(args.samples, 16 * 16 * 3))
    ok2, n2 = compare(args, "tiny", os.path.join(netx, "tiny.net"), bias,
                      steps=args.steps)
    return ok1 and ok2 and n1 > 0 and n2 > 0


def cmd_random(args):
    ok, total = True, 0
    for seed in [int(s) for s in args.seeds.split(",") if s]:
        net = os.path.join(args.work, f"random{seed}.net")
        n_in, rate, notes = lava_compare.random_net(net, seed)
        rng = np.random.default_rng(1000 + seed)
        x = (rng.random((1, args.steps, n_in)) < rate).astype(np.uint8)
        print(f"seed {seed}: " + "; ".join(notes))
        same, spikes = compare(args, f"random{seed}", net, x)
        ok, total = ok and same, total + spikes
    for seed in [int(s) for s in args.conv_seeds.split(",") if s]:
        net = os.path.join(args.work, f"conv{seed}.net")
        n_in, note = lava_compare.random_conv_net(net, seed)
        rng = np.random.default_rng(2000 + seed)
        bias = rng.integers(-5, 40, size=(1, n_in))
        print(f"conv seed {seed}: {note}")
        same, spikes = compare(args, f"conv{seed}", net, bias, steps=args.steps)
        ok, total = ok and same, total + spikes
    print(f"over all seeds: {total} output spikes")
    return ok and total > 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["random", "shared"])
    p.add_argument("--work", required=True)
    p.add_argument("--snn-run", required=True)
    p.add_argument("--target", default="")
    p.add_argument("--engine", default="emu", choices=["emu", "fixed", "c"],
                   help="the engine snn-run runs the netx file on")
    p.add_argument("--driver", default="", help="snn-lava-netx-run")
    p.add_argument("--oracle", default="", help="run_netx.py (Lava)")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--shared")
    p.add_argument("--seeds", default="")
    p.add_argument("--conv-seeds", default="")
    p.add_argument("--steps", type=int, default=24)
    p.add_argument("--samples", type=int, default=2)
    args = p.parse_args()
    if not args.driver and not args.oracle:
        p.error("give --driver or --oracle")
    if args.engine == "emu" and not args.target:
        p.error("--engine emu needs --target")
    os.makedirs(args.work, exist_ok=True)
    ok = cmd_random(args) if args.mode == "random" else cmd_shared(args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
