#!/usr/bin/env python3
"""Lava's recorded single-LIF trace (the NIR paper's lif_lava_*_fixed.csv:
input spike, v as Lava's integer, output spike per step) against
snn-run --engine fixed --record of the same network quantized for Loihi 2.

  lif_trace_compare.py QUANTIZED.mlir RECORD_DIR NODE TRACE.csv

The recorded membrane is in real units (v · v_scale); v_scale is read from
the node's snn.qneuron, so v / v_scale is the integer the engine holds.
Prints the steps where the integers or spikes differ and their count.
"""
import re
import sys

import numpy as np


def main():
    qmlir, record_dir, node, trace = sys.argv[1:5]
    scale = None
    with open(qmlir) as f:
        for line in f:
            if f'snn.qneuron "{node}"' in line:
                scale = float(re.search(r"v_scale = ([0-9.eE+-]+)", line).group(1))
    if scale is None:
        print(f"no snn.qneuron {node} in {qmlir}")
        return 1
    v = np.load(f"{record_dir}/{node}.v.npy").reshape(-1) / scale
    spikes = np.load(f"{record_dir}/{node}.spikes.npy").reshape(-1)
    csv = np.loadtxt(trace, delimiter=",")
    if len(v) != len(csv):
        print(f"{len(v)} recorded steps, {len(csv)} in {trace}")
        return 1
    if np.any(v != np.round(v)):
        print("the recorded membrane is not a whole number of v_scale")
        return 1
    v_diff = np.flatnonzero(v != csv[:, 1])
    s_diff = np.flatnonzero(spikes != csv[:, 2])
    print(f"spike steps {np.flatnonzero(csv[:, 2]).tolist()}, "
          f"ours {np.flatnonzero(spikes).tolist()}")
    print(f"membrane differs at {len(v_diff)} of {len(v)} steps: "
          + ", ".join(f"{t} (ours {int(v[t])}, recorded {int(csv[t, 1])})"
                      for t in v_diff[:8]))
    print(f"spikes differ at {len(s_diff)} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
