#!/usr/bin/env python3
"""Runs the NIR paper's single-LIF networks (lif_norse.nir, and Rockpool's
lif_rockpool.nir with its own input weight and r) under every convention set
and compares its spikes and membrane with each platform's
recorded trace in ../shared/nir/paper/lif/*.csv. Prints the table of
docs/validation.md. Needs numpy (Debian: python3-numpy)."""

import itertools
import os
import subprocess
import sys
import tempfile

import numpy as np

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("SNNC_SHARED_DIR", os.path.join(root, "..", "shared"))
lif = os.path.join(shared, "nir", "paper", "lif")
snn_run = os.path.join(root, "build", "bin", "snn-run")

conventions = list(itertools.product(
    ["subtract", "to_value"], ["same_step", "next_step"],
    ["euler", "exponential"]))


networks = ["lif_norse.nir", "lif_rockpool.nir"]


def simulate(workdir, network, reset, timing, integration):
    out = os.path.join(workdir, f"{network}-{reset}-{timing}-{integration}")
    node = "1" if network == "lif_norse.nir" else "1_LIFNeuronTorch"
    subprocess.run(
        [snn_run, os.path.join(lif, network), "--nir-preset=nir-spec",
         f"--nir-reset={reset}", f"--nir-reset-timing={timing}",
         f"--nir-integration={integration}",
         "--input", os.path.join(lif, "lif_norse.csv"), "--input-columns", "0",
         "--record", node, "--record-dir", out],
        check=True, stdout=subprocess.DEVNULL)
    spikes = np.load(os.path.join(out, node + ".spikes.npy"))[0, :, 0]
    v = np.load(os.path.join(out, node + ".v.npy"))[0, :, 0]
    return spikes, v


def compare(csv, spikes, v):
    """Spike agreement (and the shift that makes it exact), the scale that
    maps our membrane onto the recorded one, and the error after it."""
    ref_spikes = np.nonzero(csv[:, 2])[0]
    ours = np.nonzero(spikes)[0]
    shift = None
    for s in (0, 1, -1):
        if len(ours) == len(ref_spikes) and np.all(ours + s == ref_spikes):
            shift = s
            break
    ref_v = csv[:, 1]
    scale = float(np.dot(v, ref_v) / np.dot(v, v)) if np.dot(v, v) else 1.0
    scale = round(scale, 2) if abs(scale - 1) > 1e-3 else 1.0
    error = float(np.max(np.abs(scale * v - ref_v)))
    return shift, scale, error


def main():
    if not os.path.isdir(lif):
        sys.exit(f"no {lif}: the recorded traces are not here")
    with tempfile.TemporaryDirectory() as workdir:
        runs = {(n,) + c: simulate(workdir, n, *c)
                for n in networks for c in conventions}
        print("| platform CSV | network | conventions that reproduce it best "
              "| spike steps | membrane scale | max membrane error |")
        print("|---|---|---|---|---|---|")
        for name in sorted(os.listdir(lif)):
            if not name.endswith(".csv"):
                continue
            csv = np.loadtxt(os.path.join(lif, name), delimiter=",")
            results = []
            for c, (spikes, v) in runs.items():
                shift, scale, error = compare(csv, spikes, v)
                rank = (shift is None, shift != 0, scale != 1.0, error)
                results.append((rank, c, shift, scale, error))
            results.sort(key=lambda r: r[0])
            _, c, shift, scale, error = results[0]
            ties = [r[1] for r in results if r[0] == results[0][0]]
            network = ties[0][0]
            names = "; ".join(f"reset({a}, {b}) integration({i})"
                              for n, a, b, i in ties if n == network)
            spikes = ("equal" if shift == 0 else
                      "equal one step later" if shift == 1 else
                      "equal one step earlier" if shift == -1 else "differ")
            print(f"| {name} | {network} | {names} | {spikes} | {scale:g} "
                  f"| {error:.3g} |")


if __name__ == "__main__":
    main()
