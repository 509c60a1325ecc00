#!/usr/bin/env python3
"""A NIR model quantized for Loihi 2, exported with --emit-netx and run by Lava,
against the same quantized model on snn-run --engine fixed.

  netx_export_compare.py NAME MODEL.nir --work DIR --target loihi2.json
      --translate snn-translate --opt snn-opt --snn-run snn-run
      --oracle run_netx.py --python PYTHON [--input SPIKES.npy | --rate R]
      [--samples N] [--steps T] [--nir ARG ...]

Both must give the same output spikes at every step; prints
"NAME: equal, K output spikes over N sample(s) x T steps" or the first
difference, and exits 1 when they differ or nothing spiked.
"""
import argparse
import os
import subprocess
import sys

import numpy as np


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode != 0:
        sys.stderr.write(f"failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
        sys.exit(1)
    return proc


def main():
    p = argparse.ArgumentParser()
    p.add_argument("name")
    p.add_argument("model")
    p.add_argument("--work", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--translate", required=True)
    p.add_argument("--opt", required=True)
    p.add_argument("--snn-run", required=True)
    p.add_argument("--oracle", required=True)
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--input", help="spikes [samples, steps, inputs]")
    p.add_argument("--rate", type=float, default=0.1,
                   help="Poisson input rate when no --input is given")
    p.add_argument("--samples", type=int, default=2)
    p.add_argument("--steps", type=int, default=25)
    p.add_argument("--nir", action="append", default=[],
                   help="an snn-translate --import-nir option")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    base = os.path.join(args.work, args.name)

    run([args.translate, "--import-nir", *args.nir, args.model,
         "-o", base + ".mlir"])
    run([args.opt, f"--snn-quantize=target={args.target}", base + ".mlir",
         "-o", base + ".q.mlir"])
    run([args.translate, "--emit-netx", base + ".q.mlir", "-o", base + ".net"])

    if args.input:
        x = np.load(args.input)[:args.samples, :args.steps]
    else:
        rng = np.random.default_rng(11)
        shape = None
        with open(base + ".mlir") as f:
            for line in f:
                if "snn.network" in line and "!snn.spikes<" in line:
                    dims = line.split("!snn.spikes<")[1].split(">")[0]
                    shape = tuple(int(d) for d in dims.split("x"))
                    break
        x = rng.random((args.samples, args.steps) + shape) < args.rate
    x = np.ascontiguousarray(x.astype(np.uint8))
    inp = base + ".in.npy"
    np.save(inp, x)
    # Lava flattens a (C, H, W) input in its (W, H, C) order.
    lava_in = inp
    if x.ndim == 5:
        lava_in = base + ".lava-in.npy"
        np.save(lava_in, np.ascontiguousarray(
            x.transpose(0, 1, 4, 3, 2).reshape(x.shape[0], x.shape[1], -1)))

    run([args.snn_run, base + ".q.mlir", "--engine", "fixed", "--input", inp,
         "--output", base + ".fixed.npy"])
    run([args.python, args.oracle, base + ".net", lava_in, base + ".lava.npy"])
    fixed = np.load(base + ".fixed.npy")
    fixed = fixed.reshape(fixed.shape[0], fixed.shape[1], -1).astype(np.uint8)
    lava = np.load(base + ".lava.npy")
    if fixed.shape != lava.shape:
        print(f"{args.name}: shapes differ: fixed {fixed.shape}, Lava {lava.shape}")
        return 1
    diff = np.argwhere(fixed != lava)
    if len(diff):
        s, t, o = diff[0]
        print(f"{args.name}: {len(diff)} spikes differ; first at sample {s} "
              f"step {t} output {o}: fixed {fixed[s, t, o]}, Lava {lava[s, t, o]}")
        return 1
    total = int(lava.sum())
    print(f"{args.name}: equal, {total} output spikes over {lava.shape[0]} "
          f"sample(s) x {lava.shape[1]} steps")
    return 0 if total > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
