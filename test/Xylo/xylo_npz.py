"""numpy's side of the .npz tests (test/Xylo/xylo-numpy.test).

  xylo_npz.py gen SEED DIR   random specification written with np.savez,
                             np.savez_compressed and as float64 arrays (the
                             dtype Rockpool's mapper writes by default), and
                             input counts [T, Nin] as input.npy
  xylo_npz.py gen-small | gen-large | gen-v1 SEED DIR
                             the same with 60 or 1000 hidden neurons, or
                             without biases (for version 1 cores)
  xylo_npz.py gen-audio2 SEED DIR NHID [NIN NOUT]
                             the same within Xylo Audio 2's limits (at most
                             64 recurrent weights per neuron), 40 steps
  xylo_npz.py check SPEC.npz that a file SNNC wrote loads with np.load and
                             has Rockpool's keys, dtypes and shapes
  xylo_npz.py sim SPEC.npz INPUT.npy
                             runs the specification with a third
                             implementation of docs/xylo.md's step (Python
                             integers, numpy's own np.load) and prints what
                             `snn-xylo-run SPEC INPUT --record` prints
"""
import os
import sys

import numpy as np

KEYS = {"weights_in", "weights_out", "weights_rec", "dash_mem", "dash_mem_out",
        "dash_syn", "dash_syn_2", "dash_syn_out", "threshold", "threshold_out",
        "bias", "bias_out", "weight_shift_in", "weight_shift_rec",
        "weight_shift_out", "aliases", "dt"}


def fit_fan_out(rng, w, most):
    """Zeroes random non-zero recurrent weights of each source neuron (all
    synapses) until at most `most` remain: a device's fan-out limit."""
    for p in range(w.shape[0]):
        nz = np.argwhere(w[p] != 0)
        if len(nz) > most:
            drop = nz[rng.permutation(len(nz))[most:]]
            w[p][tuple(drop.T)] = 0
    return w


def gen(seed, out, n_in=12, n_hid=200, n_out=6, steps=60, bias=True,
        fan_out=None):
    rng = np.random.default_rng(seed)

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
        "bias": np.where(rng.random(n_hid) < (0.2 if bias else 0.0),
                         rng.integers(-200, 200, n_hid), 0),
        "bias_out": np.zeros(n_out, int),
        "weight_shift_in": 3,
        "weight_shift_rec": 2,
        "weight_shift_out": 1,
        "aliases": np.where(rng.random((n_hid, 1)) < 0.05,
                            rng.integers(0, n_hid, (n_hid, 1)), -1),
        "dt": 1e-3,
    }
    if fan_out is not None:
        spec["weights_rec"] = fit_fan_out(rng, spec["weights_rec"], fan_out)
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


def sat(x):
    return max(-32768, min(32767, x))


def i16(x):
    x &= 0xFFFF
    return x - 0x10000 if x >= 0x8000 else x


def leak(x, d):
    k = x // (1 << d)  # Python's // floors, as the arithmetic shift does
    if k == 0:
        k = (x > 0) - (x < 0)
    return k


def synapse_lists(w):
    """from_specification's XyloSynapse lists: per source, synapse-0
    targets ascending, then synapse-1 targets ascending."""
    if w.ndim == 2:
        w = w[:, :, None]
    return [[(int(post), s, int(w[pre, post, s]))
             for s in range(w.shape[2]) for post in np.nonzero(w[pre, :, s])[0]]
            for pre in range(w.shape[0])]


def sim(spec_path, input_path):
    f = np.load(spec_path)
    x = np.load(input_path)
    n_hid = f["weights_rec"].shape[0]
    n_out = f["weights_out"].shape[1]
    n_oen = f["weights_out"].shape[0]
    syn_in = synapse_lists(f["weights_in"])
    syn_rec = synapse_lists(f["weights_rec"])
    syn_out = [[] for _ in range(n_hid - n_oen)] + synapse_lists(f["weights_out"])
    sh_in, sh_rec, sh_out = (int(f[k]) for k in
                             ["weight_shift_in", "weight_shift_rec",
                              "weight_shift_out"])
    p = {k: [int(v) for v in f[k]] for k in
         ["dash_mem", "dash_syn", "dash_syn_2", "threshold", "bias",
          "dash_mem_out", "dash_syn_out", "threshold_out", "bias_out"]}
    alias = [next((int(a) for a in row if a >= 0), None) for row in
             f["aliases"].reshape(n_hid, -1)]
    has_bias = any(p["bias"]) or any(p["bias_out"])
    isyn = [[0, 0] for _ in range(n_hid)]
    vmem, spk = [0] * n_hid, [0] * n_hid
    isyn_o, vmem_o = [0] * n_out, [0] * n_out
    rows = {k: [] for k in ["out", "Vmem", "Isyn", "Isyn2", "Spikes",
                            "Vmem_out", "Isyn_out"]}

    def membrane(v, current, dash, bias):
        dv = i16(-leak(v, dash))
        dv = sat(dv + current)
        if has_bias:
            dv = sat(dv + bias)
        return sat(v + dv)

    for t in range(x.shape[0]):
        for i, lst in enumerate(syn_in):
            for post, s, w in lst:
                for _ in range(min(int(x[t, i]), 15)):
                    isyn[post][s] = sat(isyn[post][s] + i16(w << sh_in))
        for pre, lst in enumerate(syn_rec):
            for post, s, w in lst:
                for _ in range(min(spk[pre], 31)):
                    isyn[post][s] = sat(isyn[post][s] + i16(w << sh_rec))
        for pre, lst in enumerate(syn_out):
            for post, _, w in lst:
                for _ in range(spk[pre]):
                    isyn_o[post] = sat(isyn_o[post] + i16(w << sh_out))
        spk = [0] * n_hid
        for h in range(n_hid):
            isyn[h][0] -= leak(isyn[h][0], p["dash_syn"][h])
            isyn[h][1] -= leak(isyn[h][1], p["dash_syn_2"][h])
            vmem[h] = membrane(vmem[h], isyn[h][0] + isyn[h][1],
                               p["dash_mem"][h], p["bias"][h])
            n = spk[h]
            while vmem[h] >= p["threshold"][h] and n < 31:
                n += 1
                vmem[h] = i16(vmem[h] - p["threshold"][h])
            spk[h] = n
            if alias[h] is not None:
                spk[alias[h]] = min(spk[alias[h]] + n, 31)
        out = [0] * n_out
        for o in range(n_out):
            isyn_o[o] -= leak(isyn_o[o], p["dash_syn_out"][o])
            vmem_o[o] = membrane(vmem_o[o], isyn_o[o], p["dash_mem_out"][o],
                                 p["bias_out"][o])
            if vmem_o[o] >= p["threshold_out"][o]:
                out[o] = 1
                vmem_o[o] = i16(vmem_o[o] - p["threshold_out"][o])
        for k, v in [("out", out), ("Vmem", vmem), ("Isyn", [s[0] for s in isyn]),
                     ("Isyn2", [s[1] for s in isyn]), ("Spikes", spk),
                     ("Vmem_out", vmem_o), ("Isyn_out", isyn_o)]:
            rows[k].append(f"{k} t={t}:" + "".join(f" {a}" for a in v))
    for k in rows:
        print("\n".join(rows[k]))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "gen-small":
        gen(int(sys.argv[2]), sys.argv[3], n_in=8, n_hid=60, n_out=4, steps=40)
    elif sys.argv[1] == "gen-large":
        # Xylo Audio 2's full hidden population.
        gen(int(sys.argv[2]), sys.argv[3], n_in=16, n_hid=1000, n_out=8, steps=30)
    elif sys.argv[1] == "gen-audio2":
        # Within Xylo Audio 2's limits (fan-out 64), so that the emulator maps
        # it onto targets/xylo-audio2.json: SEED DIR NHID [NIN NOUT].
        n_hid = int(sys.argv[4])
        n_in = int(sys.argv[5]) if len(sys.argv) > 5 else 16
        n_out = int(sys.argv[6]) if len(sys.argv) > 6 else 8
        gen(int(sys.argv[2]), sys.argv[3], n_in=n_in, n_hid=n_hid,
            n_out=n_out, steps=40, fan_out=64)
    elif sys.argv[1] == "gen-v1":
        # Version 1 cores have no bias.
        gen(int(sys.argv[2]), sys.argv[3], bias=False)
    elif sys.argv[1] == "sim":
        sim(sys.argv[2], sys.argv[3])
    else:
        check(sys.argv[2])
