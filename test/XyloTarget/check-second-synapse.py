"""Helpers of second-synapse.test (numpy only).

  check-second-synapse.py SPEC.npz
      prints the shapes and dtypes of weights_in and weights_rec, how many
      non-zero weights each synapse holds, and dash_syn / dash_syn_2
  check-second-synapse.py input PATH STEPS NIN SEED
      writes event counts [STEPS, NIN] (0..3, mostly 0) as int64 to PATH
  check-second-synapse.py same-dash SPEC.npz OUT.npz
      writes SPEC with dash_syn_2 replaced by dash_syn (OUT's folder made)
"""
import os
import sys

import numpy as np


def describe(path):
    with np.load(path) as f:
        for key in ("weights_in", "weights_rec"):
            w = f[key]
            counts = ", ".join(
                f"synapse {s} {int(np.count_nonzero(w[:, :, s]))} non-zero"
                for s in range(w.shape[2]))
            print(f"{key} {w.shape} {w.dtype}: {counts}")
        print(f"dash_syn {f['dash_syn']} dash_syn_2 {f['dash_syn_2']}")


def write_input(path, steps, n_in, seed):
    rng = np.random.default_rng(seed)
    counts = np.where(rng.random((steps, n_in)) < 0.3,
                      rng.integers(1, 4, (steps, n_in)), 0)
    np.save(path, counts.astype(np.int64))


def same_dash(src, dst):
    with np.load(src) as f:
        spec = {k: f[k] for k in f.files}
    spec["dash_syn_2"] = spec["dash_syn"].copy()
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    np.savez(dst, **spec)


if __name__ == "__main__":
    if len(sys.argv) == 2:
        describe(sys.argv[1])
    elif len(sys.argv) == 6 and sys.argv[1] == "input":
        write_input(sys.argv[2], *map(int, sys.argv[3:6]))
    elif len(sys.argv) == 4 and sys.argv[1] == "same-dash":
        same_dash(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
