"""An independent check of SNNC's Xylo arithmetic, in numpy.

Written straight from the facts page of the shared notes
(../shared/docs/targets/xylo.md, "One time step (v2)" and the v1 note), NOT
from xylosim itself (which is not installable here) and sharing no code with
SNNC's C++ (runtime/embedded/snn_xylo.h, lib/Sim/XyloCore.cpp) or with the
other Python implementation (xylo_npz.py). Where the facts page is silent the
choice is said beside the code. If the facts page misreads xylosim, this
check shares the misreading.

  xylo_numpy_check.py gen SEED DIR NIN NHID NOUT STEPS [v1]
      a random specification DIR/spec.npz and input counts DIR/input.npy
      ([STEPS, NIN]); the draw covers rank-2 and rank-3 weights, partial
      input and readout populations, every dash, thresholds from negative to
      large, biases, aliases, weight shifts 0..7 and counts beyond 15
  xylo_numpy_check.py compare DIR SNN_RUN_OUTPUT.npy [v1]
      runs DIR/spec.npz on DIR/input.npy here and compares the output spikes
      with snn-run's --output ([1, STEPS, NOUT]); exits 1 naming the first
      difference, else prints what was compared and how much of the
      arithmetic's corners the run reached
"""
import os
import sys

import numpy as np

I16_MIN, I16_MAX = -32768, 32767


def sat16(x):
    """xylosim's safe_add: the int sum clamped to int16 (facts page)."""
    return np.clip(x, I16_MIN, I16_MAX)


def wrap16(x):
    """i16(): two's-complement narrowing (facts page)."""
    return ((np.asarray(x, dtype=np.int64) + 32768) % 65536) - 32768


def leak(x, d):
    """k = x >> d (arithmetic, so floor for negatives); k = sign(x) if 0."""
    x = np.asarray(x, dtype=np.int64)
    k = np.right_shift(x, np.asarray(d, dtype=np.int64))
    return np.where(k == 0, np.sign(x), k)


class Core:
    """One Xylo core: states as int64 arrays holding int16 values."""

    def __init__(self, spec, version):
        self.version = version
        w_in = np.asarray(spec["weights_in"], dtype=np.int64)
        if w_in.ndim == 2:
            w_in = w_in[:, :, None]
        self.n_in, n_ien = w_in.shape[0], w_in.shape[1]
        w_out = np.asarray(spec["weights_out"], dtype=np.int64)
        n_oen, self.n_out = w_out.shape
        if "weights_rec" in spec:
            w_rec = np.asarray(spec["weights_rec"], dtype=np.int64)
        else:
            w_rec = np.zeros((n_ien, n_ien), dtype=np.int64)
        if w_rec.ndim == 2:
            w_rec = w_rec[:, :, None]
        self.n_hid = w_rec.shape[0]
        h, o = self.n_hid, self.n_out

        def get(key, n):
            v = np.asarray(spec.get(key, np.zeros(n)), dtype=np.int64)
            return np.broadcast_to(v, (n,)).copy()

        def shifted(w, key):
            # "w << shift is computed in int and narrowed to int16".
            return wrap16(w * (1 << int(np.asarray(spec.get(key, 0)))))

        # Dense per-source weight rows over both synaptic states of every
        # hidden neuron ([source, hidden, 2]); a missing synapse adds 0, which
        # with saturation changes nothing, so listing only non-zero synapses
        # (as Rockpool does) gives the same states.
        self.w_in = np.zeros((self.n_in, h, 2), dtype=np.int64)
        self.w_in[:, :n_ien, :w_in.shape[2]] = shifted(w_in, "weight_shift_in")
        self.w_rec = np.zeros((h, h, 2), dtype=np.int64)
        self.w_rec[:, :, :w_rec.shape[2]] = shifted(w_rec, "weight_shift_rec")
        # weights_out's rows are the last n_oen hidden neurons.
        self.w_out = np.zeros((h, o), dtype=np.int64)
        self.w_out[h - n_oen:] = shifted(w_out, "weight_shift_out")
        self.dash_mem, self.dash_syn = get("dash_mem", h), get("dash_syn", h)
        self.dash_syn2 = get("dash_syn_2", h)
        self.threshold, self.bias = get("threshold", h), get("bias", h)
        self.dash_mem_out = get("dash_mem_out", o)
        self.dash_syn_out = get("dash_syn_out", o)
        self.threshold_out, self.bias_out = get("threshold_out", o), get("bias_out", o)
        self.has_bias = bool(np.any(self.bias != 0) or np.any(self.bias_out != 0))
        # aliases: SNNC's .npz form, (Nhid, k) or (Nhid,) padded with -1; the
        # hardware uses the first target only.
        self.alias = np.full(h, -1, dtype=np.int64)
        if "aliases" in spec:
            a = np.asarray(spec["aliases"], dtype=np.int64).reshape(h, -1)
            if a.shape[1]:
                self.alias = a[:, 0]
        self.isyn = np.zeros((h, 2), dtype=np.int64)
        self.vmem = np.zeros(h, dtype=np.int64)
        self.spk = np.zeros(h, dtype=np.int64)
        self.isyn_out = np.zeros(o, dtype=np.int64)
        self.vmem_out = np.zeros(o, dtype=np.int64)
        self.saturated = 0
        self.capped = 0

    def add_events(self, state, weights, n):
        """n events on every state at once: each its own saturating add.
        Events of one source touch distinct states, so doing them for all
        states together keeps each state's order of additions."""
        for _ in range(int(n)):
            raw = state + weights
            state = sat16(raw)
            self.saturated += int(np.count_nonzero(state != raw))
        return state

    def membrane(self, v, current, dash, bias):
        if self.version == 1:
            # v1: no bias; v - leak(v), then sat16(v + I).
            return sat16((v - leak(v, dash)) + current)
        dv = wrap16(-leak(v, dash))
        dv = sat16(dv + current)
        if self.has_bias:
            dv = sat16(dv + bias)
        return sat16(v + dv)

    def step(self, counts):
        # 1. input channels in ascending order, at most 15 events each.
        for i in range(self.n_in):
            n = min(max(int(counts[i]), 0), 15)
            if n:
                self.isyn = self.add_events(self.isyn, self.w_in[i], n)
        # 2. recurrent: last step's hidden spikes, at most 31 each.
        for p in np.flatnonzero(self.spk):
            self.isyn = self.add_events(self.isyn, self.w_rec[p],
                                        min(int(self.spk[p]), 31))
        # 3. readout into the output neurons' one synapse.
        for p in np.flatnonzero(self.spk):
            self.isyn_out = self.add_events(self.isyn_out, self.w_out[p],
                                            int(self.spk[p]))
        # 4. clear.
        self.spk[:] = 0
        # 5. hidden neurons: leaks and membranes do not depend on other
        # neurons, so they are computed for all; firing is in index order
        # because aliases carry spikes into later neurons' counts.
        self.isyn[:, 0] -= leak(self.isyn[:, 0], self.dash_syn)
        self.isyn[:, 1] -= leak(self.isyn[:, 1], self.dash_syn2)
        current = self.isyn[:, 0] + self.isyn[:, 1]  # wide: no saturation
        self.vmem = self.membrane(self.vmem, current, self.dash_mem, self.bias)
        for h in range(self.n_hid):
            n, v, th = int(self.spk[h]), int(self.vmem[h]), int(self.threshold[h])
            while v >= th and n < 31:
                n += 1
                v = int(wrap16(v - th))
            self.capped += n == 31
            self.vmem[h], self.spk[h] = v, n
            a = int(self.alias[h])
            if a >= 0:
                self.spk[a] = min(int(self.spk[a]) + n, 31)
        # 6. output neurons: one synapse, at most one spike.
        self.isyn_out -= leak(self.isyn_out, self.dash_syn_out)
        self.vmem_out = self.membrane(self.vmem_out, self.isyn_out,
                                      self.dash_mem_out, self.bias_out)
        out = np.zeros(self.n_out, dtype=np.int64)
        for o in range(self.n_out):
            v, th = int(self.vmem_out[o]), int(self.threshold_out[o])
            if v >= th:
                out[o] = 1
                self.vmem_out[o] = wrap16(v - th)
        return out


def gen(seed, out_dir, n_in, n_hid, n_out, steps, v1=False):
    rng = np.random.default_rng(seed)
    syn = int(rng.integers(1, 3))
    n_ien = int(rng.integers(max(1, n_hid // 2), n_hid + 1))
    n_oen = int(rng.integers(max(1, n_hid // 2), n_hid + 1))

    def weights(shape, density):
        w = rng.integers(-128, 128, size=shape)
        return np.where(rng.random(shape) < density, w, 0).astype(np.int8)

    rec_density = min(0.5, 6.0 / n_hid)
    spec = {
        "weights_in": weights((n_in, n_ien, syn) if syn == 2 or rng.random() < 0.5
                              else (n_in, n_ien), 0.3),
        "weights_rec": weights((n_hid, n_hid, syn) if syn == 2 else (n_hid, n_hid),
                               rec_density),
        "weights_out": weights((n_oen, n_out), 0.3),
        "dash_mem": rng.integers(0, 16, n_hid).astype(np.uint8),
        "dash_syn": rng.integers(0, 16, n_hid).astype(np.uint8),
        "dash_syn_2": rng.integers(0, 16, n_hid).astype(np.uint8),
        "dash_mem_out": rng.integers(0, 16, n_out).astype(np.uint8),
        "dash_syn_out": rng.integers(0, 16, n_out).astype(np.uint8),
        "threshold": rng.integers(-50, 3000, n_hid).astype(np.int16),
        "threshold_out": rng.integers(0, 3000, n_out).astype(np.int16),
        "bias": (np.zeros(n_hid) if v1 else
                 np.where(rng.random(n_hid) < 0.3,
                          rng.integers(-300, 300, n_hid), 0)).astype(np.int16),
        "bias_out": (np.zeros(n_out) if v1 else
                     rng.integers(-100, 100, n_out)).astype(np.int16),
        "weight_shift_in": np.int64(rng.integers(0, 8)),
        "weight_shift_rec": np.int64(rng.integers(0, 8)),
        "weight_shift_out": np.int64(rng.integers(0, 8)),
        "aliases": np.where(rng.random((n_hid, 1)) < 0.05,
                            rng.integers(0, n_hid, (n_hid, 1)), -1).astype(np.int64),
        "dt": np.float64(1e-3),
    }
    os.makedirs(out_dir, exist_ok=True)
    np.savez(os.path.join(out_dir, "spec.npz"), **spec)
    counts = np.where(rng.random((steps, n_in)) < 0.3,
                      rng.integers(0, 20, (steps, n_in)), 0)
    np.save(os.path.join(out_dir, "input.npy"), counts.astype(np.int64))


def compare(spec_dir, output_path, version):
    with np.load(os.path.join(spec_dir, "spec.npz")) as f:
        spec = {k: f[k] for k in f.files}
    counts = np.load(os.path.join(spec_dir, "input.npy"))
    core = Core(spec, version)
    ours = np.stack([core.step(c) for c in counts])
    theirs = np.load(output_path).reshape(-1, core.n_out).astype(np.int64)
    if theirs.shape != ours.shape:
        sys.exit(f"{output_path}: shape {theirs.shape}, expected {ours.shape}")
    diff = np.argwhere(theirs != ours)
    if len(diff):
        t, o = diff[0]
        sys.exit(f"{output_path}: step {t}, output {o}: SNNC {theirs[t, o]}, "
                 f"numpy {ours[t, o]} ({len(diff)} entries differ)")
    print(f"equal: {int(ours.sum())} output spikes over {len(ours)} steps; "
          f"{core.saturated} saturated additions, {core.capped} hidden "
          f"neurons at the 31-spike cap")


if __name__ == "__main__":
    if len(sys.argv) >= 8 and sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3], *map(int, sys.argv[4:8]),
            v1=len(sys.argv) > 8 and sys.argv[8] == "v1")
    elif len(sys.argv) >= 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3],
                1 if len(sys.argv) > 4 and sys.argv[4] == "v1" else 2)
    else:
        sys.exit(__doc__)
