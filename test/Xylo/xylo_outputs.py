"""Compares output spikes of a Xylo specification from several programs.

  xylo_outputs.py compare STEPPER.txt OUT.npy [OUT.npy ...]

STEPPER.txt holds the `out t=K: a b c` lines `snn-xylo-run` (lib/Xylo's
stepper over runtime/embedded/snn_xylo.h) or `xylo_npz.py sim` print; each
OUT.npy is snn-run's --output ([samples, steps, Nout], one sample). Exits 1
naming the first step and neuron that differ; prints the number of output
spikes otherwise, so that a test can require some.
"""
import sys

import numpy as np


def stepper_outputs(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("out t="):
                rows.append([int(v) for v in line.split(":", 1)[1].split()])
    return np.array(rows, dtype=np.int64)


def main():
    if len(sys.argv) < 4 or sys.argv[1] != "compare":
        sys.exit(__doc__)
    ref = stepper_outputs(sys.argv[2])
    for path in sys.argv[3:]:
        out = np.load(path)
        out = out.reshape(-1, out.shape[-1]).astype(np.int64)
        if out.shape != ref.shape:
            sys.exit(f"{path}: shape {out.shape} but the stepper gave {ref.shape}")
        diff = np.argwhere(out != ref)
        if len(diff):
            t, o = diff[0]
            sys.exit(f"{path}: step {t}, output {o}: {out[t, o]} but the "
                     f"stepper gave {ref[t, o]} ({len(diff)} entries differ)")
    print(f"equal: {int(ref.sum())} output spikes over {ref.shape[0]} steps")


if __name__ == "__main__":
    main()
