"""numpy's side of the .npz tests (test/Xylo/xylo-numpy.test).

  xylo_npz.py gen SEED DIR   random specification written with np.savez,
                             np.savez_compressed and as float64 arrays (the
                             dtype Rockpool's mapper writes by default), and
                             input counts [T, Nin] as input.npy
  xylo_npz.py check SPEC.npz that a file SNNC wrote loads with np.load and
                             has Rockpool's keys, dtypes and shapes
"""
import os
import sys

import numpy as np

KEYS = {"weights_in", "weights_out", "weights_rec", "dash_mem", "dash_mem_out",
        "dash_syn", "dash_syn_2", "dash_syn_out", "threshold", "threshold_out",
        "bias", "bias_out", "weight_shift_in", "weight_shift_rec",
        "weight_shift_out", "aliases", "dt"}


def gen(seed, out):
    rng = np.random.default_rng(seed)
    n_in, n_hid, n_out, steps = 12, 200, 6, 60

    def sparse(shape, density):
        w = rng.integers(-128, 128, size=shape)
        return np.where(rng.random(shape) < density, w, 0)

    spec = {
        "weights_in": sparse((n_in, n_hid, 2), 0.2),
        "weights_rec": sparse((n_hid, n_hid, 2), 0.03),
        "weights_out": sparse((n_hid, n_out), 0.2),
        "dash_mem": rng.integers(0, 16, n_hid),
        "dash_syn": rng.integers(0, 16, n_hid),
        "dash_syn_2": rng.integers(0, 16, n_hid),
        "dash_mem_out": rng.integers(0, 16, n_out),
        "dash_syn_out": rng.integers(0, 16, n_out),
        "threshold": rng.integers(0, 1500, n_hid),
        "threshold_out": rng.integers(0, 1500, n_out),
        "bias": np.where(rng.random(n_hid) < 0.2,
                         rng.integers(-200, 200, n_hid), 0),
        "bias_out": np.zeros(n_out, int),
        "weight_shift_in": 3,
        "weight_shift_rec": 2,
        "weight_shift_out": 1,
        "aliases": np.where(rng.random((n_hid, 1)) < 0.05,
                            rng.integers(0, n_hid, (n_hid, 1)), -1),
        "dt": 1e-3,
    }
    np.savez(os.path.join(out, "spec.npz"), **spec)
    np.savez_compressed(os.path.join(out, "spec_c.npz"), **spec)
    as_float = {k: np.asarray(v, dtype=np.float64) for k, v in spec.items()}
    np.savez(os.path.join(out, "spec_f.npz"), **as_float)
    counts = np.where(rng.random((steps, n_in)) < 0.4,
                      rng.integers(0, 20, (steps, n_in)), 0)
    np.save(os.path.join(out, "input.npy"), counts)


def check(path):
    f = np.load(path)
    keys = set(f.files)
    assert keys == KEYS, f"keys {sorted(keys ^ KEYS)} differ"
    n_hid = f["weights_rec"].shape[0]
    n_out = f["weights_out"].shape[1]
    want = {"weights_in": np.int8, "weights_rec": np.int8,
            "weights_out": np.int8, "threshold": np.int16,
            "threshold_out": np.int16, "bias": np.int16, "bias_out": np.int16,
            "dash_mem": np.uint8, "dash_syn": np.uint8, "dash_syn_2": np.uint8,
            "dash_mem_out": np.uint8, "dash_syn_out": np.uint8}
    for key, dtype in want.items():
        assert f[key].dtype == dtype, f"{key}: {f[key].dtype}"
    for key in ["dash_mem", "dash_syn", "dash_syn_2", "threshold", "bias"]:
        assert f[key].shape == (n_hid,), f"{key}: {f[key].shape}"
    for key in ["dash_mem_out", "dash_syn_out", "threshold_out", "bias_out"]:
        assert f[key].shape == (n_out,), f"{key}: {f[key].shape}"
    assert f["weights_in"].ndim in (2, 3)
    assert f["aliases"].shape[0] == n_hid
    for key in ["weight_shift_in", "weight_shift_rec", "weight_shift_out", "dt"]:
        assert f[key].shape == (), f"{key}: {f[key].shape}"
    print(f"ok {len(keys)} keys, Nhid={n_hid}, Nout={n_out}, "
          f"weights_in {f['weights_in'].shape} {f['weights_in'].dtype}")


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3])
    else:
        check(sys.argv[2])
