"""The CUBA-class benchmark network of bench/cuba, at any size.

N leaky integrate-and-fire neurons (80 % excitatory, 20 % inhibitory) with a
fixed fan-in (64 excitatory and 16 inhibitory recurrent synapses per neuron:
2 % connectivity at N = 4000) and 800 Poisson inputs at 10 Hz, 40 per neuron
(a 5 % projection). Synapses are voltage jumps; the membrane decays with
tau = 20 ms at dt = 0.1 ms; threshold 1, reset to 0.

One seeded draw of the connectivity feeds every writer, so the SNNC IR, the
NIR file and the Brian2 script describe the same synapses.
"""

import numpy as np

DT = 1e-4            # s
TAU = 20e-3          # s
INPUTS = 800
INPUT_RATE = 10.0    # Hz
FAN_IN_EXC, FAN_IN_INH, FAN_IN_INPUT = 64, 16, 40
# Jumps in units of the threshold.
J_INPUT, J_EXC, J_INH = 0.1, 0.05, -0.2
# The integer network: one membrane step is 1/UNITS of the threshold, so the
# jumps are 50, 25 and -100 (int8 weights) and the threshold 500.
UNITS = 500
DECAY_SHIFT = 12


class Network:
    """Connectivity as CSR (rows = targets): offsets, column indices, jumps."""

    def __init__(self, n, seed=1):
        rng = np.random.default_rng(seed)
        self.n = n
        exc = int(round(0.8 * n))
        self.rec = self._draw(rng, n, [(0, exc, FAN_IN_EXC, J_EXC),
                                       (exc, n, FAN_IN_INH, J_INH)])
        self.inp = self._draw(rng, n, [(0, INPUTS, FAN_IN_INPUT, J_INPUT)])

    @staticmethod
    def _draw(rng, rows, groups):
        cols, vals = [], []
        for lo, hi, k, j in groups:
            k = min(k, hi - lo)
            # k distinct sources per row from [lo, hi): argsort of random keys
            # would be N x (hi - lo); sample with rejection of duplicates.
            c = lo + rng.integers(0, hi - lo, size=(rows, k * 2))
            c.sort(axis=1)
            picked = np.empty((rows, k), dtype=np.int64)
            for r in range(rows):
                u = np.unique(c[r])
                while len(u) < k:
                    u = np.unique(np.concatenate(
                        [u, lo + rng.integers(0, hi - lo, size=k)]))
                picked[r] = np.sort(rng.choice(u, size=k, replace=False))
            cols.append(picked)
            vals.append(np.full((rows, k), j))
        cols = np.concatenate(cols, axis=1)
        vals = np.concatenate(vals, axis=1)
        order = np.argsort(cols, axis=1, kind="stable")
        cols = np.take_along_axis(cols, order, axis=1)
        vals = np.take_along_axis(vals, order, axis=1)
        offsets = np.arange(rows + 1, dtype=np.int64) * cols.shape[1]
        return offsets, cols.reshape(-1), vals.reshape(-1)

    def synapses(self):
        return len(self.rec[1]) + len(self.inp[1])

    def dense(self, csr, cols):
        offsets, idx, val = csr
        w = np.zeros((self.n, cols), dtype=np.float32)
        rows = np.repeat(np.arange(self.n), np.diff(offsets))
        w[rows, idx] = val
        return w


def _hex(array, dtype):
    return '"0x' + np.ascontiguousarray(array, dtype=dtype).tobytes().hex().upper() + '"'


def write_ir(net, path, dense=False):
    """The quantized network as SNNC IR: sparse projections (snn.qsparse)
    or, with dense=True, snn.qlinear with dense N x N weights."""
    n = net.n
    decay = int(round(np.exp(-DT / TAU) * (1 << DECAY_SHIFT)))
    common = ('weight_bits = 8 : i64, acc_bits = 16 : i64, '
              f'scale = {1.0 / UNITS:.6e} : f64')

    def projection(name, src, csr, cols, in_type):
        offsets, idx, val = csr
        q = np.round(np.asarray(val) * UNITS).astype(np.int64)
        if dense:
            w = np.zeros((n, cols), dtype=np.int8)
            rows = np.repeat(np.arange(n), np.diff(offsets))
            w[rows, idx] = q
            attrs = f'weight = dense<{_hex(w, np.int8)}> : tensor<{n}x{cols}xi8>'
            op = 'snn.qlinear'
        else:
            attrs = (f'offsets = dense<{_hex(offsets, np.int32)}> : tensor<{n + 1}xi32>, '
                     f'indices = dense<{_hex(idx, np.int32)}> : tensor<{len(idx)}xi32>, '
                     f'values = dense<{_hex(q, np.int8)}> : tensor<{len(q)}xi8>')
            op = 'snn.qsparse'
        return (f'  %{name} = {op} "{name}" %{src} overflow(saturate) '
                f'{{{attrs}, {common}}} : {in_type} -> !snn.values<{n}>\n')

    with open(path, "w") as f:
        f.write(f'// CUBA-class network, N = {n}, {net.synapses()} synapses '
                '(bench/cuba).\n')
        f.write(f'snn.network @cuba(%x: !snn.spikes<{INPUTS}>) -> '
                f'(y: !snn.spikes<{n}>) attributes {{dt = {DT:e} : f64}} {{\n')
        f.write(f'  %d = snn.delay "d" %lif {{steps = 1}} : !snn.spikes<{n}> -> '
                f'!snn.spikes<{n}>\n')
        f.write(projection("w_in", "x", net.inp, INPUTS, f'!snn.spikes<{INPUTS}>'))
        f.write(projection("w_rec", "d", net.rec, n, f'!snn.spikes<{n}>'))
        f.write(f'  %s = snn.sum "s" %w_in, %w_rec : !snn.values<{n}>, '
                f'!snn.values<{n}> -> !snn.values<{n}>\n')
        f.write(f'  %lif = snn.qneuron "lif" %s decay(multiply) rounding(nearest_even) '
                f'overflow(saturate) reset(to_value, same_step) fire(gt) '
                f'{{v_bits = 16 : i64, decay_shift = {DECAY_SHIFT} : i64, '
                f'v_decay = {decay} : i64, v_threshold = {UNITS} : i64, '
                f'v_reset = 0 : i64, v_scale = {1.0 / UNITS:.6e} : f64}} : '
                f'!snn.values<{n}> -> !snn.spikes<{n}>\n')
        f.write(f'  snn.output %lif : !snn.spikes<{n}>\n}}\n')


def write_float_ir(net, path):
    """The float network as SNNC IR with snn.sparse projections (real
    weights in compressed rows) and an Euler LIF: what the float reference
    runs, again without a dense N x N matrix."""
    n = net.n

    def projection(name, src, csr, in_type):
        offsets, idx, val = csr
        attrs = (f'offsets = dense<{_hex(offsets, np.int32)}> : tensor<{n + 1}xi32>, '
                 f'indices = dense<{_hex(idx, np.int32)}> : tensor<{len(idx)}xi32>, '
                 f'values = dense<{_hex(val, np.float32)}> : tensor<{len(val)}xf32>')
        return (f'  %{name} = snn.sparse "{name}" %{src} {{{attrs}}} : '
                f'{in_type} -> !snn.values<{n}>\n')

    with open(path, "w") as f:
        f.write(f'// CUBA-class float network, N = {n}, {net.synapses()} '
                'synapses (bench/cuba).\n')
        f.write(f'snn.network @cuba(%x: !snn.spikes<{INPUTS}>) -> '
                f'(y: !snn.spikes<{n}>) attributes {{dt = {DT:e} : f64}} {{\n')
        f.write(f'  %d = snn.delay "d" %lif {{steps = 1}} : !snn.spikes<{n}> -> '
                f'!snn.spikes<{n}>\n')
        f.write(projection("w_in", "x", net.inp, f'!snn.spikes<{INPUTS}>'))
        f.write(projection("w_rec", "d", net.rec, f'!snn.spikes<{n}>'))
        f.write(f'  %s = snn.sum "s" %w_in, %w_rec : !snn.values<{n}>, '
                f'!snn.values<{n}> -> !snn.values<{n}>\n')
        f.write(f'  %lif = snn.lif "lif" %s integration(euler) reset(to_value, '
                f'same_step) fire(gt) {{r = {TAU / DT:e} : f64, tau = {TAU:e} : f64, '
                'v_leak = 0.0 : f64, v_reset = 0.0 : f64, v_threshold = 1.0 : f64} : '
                f'!snn.values<{n}> -> !snn.spikes<{n}>\n')
        f.write(f'  snn.output %lif : !snn.spikes<{n}>\n}}\n')


def write_nir(net, path):
    """The float network as NIR (dense matrices; import with
    --nir-preset=snntorch --nir-reset=to_value)."""
    import h5py
    n = net.n
    str_type = h5py.string_dtype()
    with h5py.File(path, "w") as f:
        g = f.create_group("node")
        g["type"] = np.array(b"NIRGraph", dtype=object)
        f["version"] = np.array(b"0.2.0", dtype=object)
        nodes = g.create_group("nodes")

        def node(name, kind, **data):
            h = nodes.create_group(name)
            h.create_dataset("type", data=kind, dtype=str_type)
            for k, v in data.items():
                h[k] = v

        node("input", "Input", shape=np.array([INPUTS], dtype=np.int64))
        node("output", "Output", shape=np.array([n], dtype=np.int64))
        node("w_in", "Linear", weight=net.dense(net.inp, INPUTS))
        node("w_rec", "Linear", weight=net.dense(net.rec, n))
        node("lif", "LIF", tau=np.full(n, TAU), r=np.full(n, TAU / DT),
             v_leak=np.zeros(n), v_threshold=np.ones(n), v_reset=np.zeros(n))
        edges = [("input", "w_in"), ("w_in", "lif"), ("lif", "w_rec"),
                 ("w_rec", "lif"), ("lif", "output")]
        g.create_dataset("edges", data=np.array(edges, dtype=object),
                         dtype=str_type)


BRIAN2 = r'''
import sys, time, numpy as np
from brian2 import *
set_device("cpp_standalone", directory=sys.argv[1])
prefs.devices.cpp_standalone.openmp_threads = 0
d = np.load(sys.argv[2])
n, seconds = int(d["n"]), float(d["seconds"])
defaultclock.dt = {dt} * second
tau = {tau} * second
G = NeuronGroup(n, "dv/dt = -v / tau : 1 (unless refractory)", threshold="v > 1",
                reset="v = 0", method="exact")
P = PoissonGroup({inputs}, {rate} * Hz)
S = Synapses(G, G, "w : 1", on_pre="v += w")
S.connect(i=d["rec_src"], j=d["rec_dst"])
S.w = d["rec_w"]
I = Synapses(P, G, "w : 1", on_pre="v += w")
I.connect(i=d["in_src"], j=d["in_dst"])
I.w = d["in_w"]
M = SpikeMonitor(G, record=False)
run(seconds * second)
print("spikes", int(M.num_spikes))
'''


def write_brian2(net, directory, seconds):
    """Brian2's script and its data (the same synapses); returns the script."""
    import os
    os.makedirs(directory, exist_ok=True)

    def coo(csr):
        offsets, idx, val = csr
        dst = np.repeat(np.arange(net.n), np.diff(offsets))
        return idx, dst, val

    rs, rd, rw = coo(net.rec)
    i_s, i_d, i_w = coo(net.inp)
    data = os.path.join(directory, "net.npz")
    np.savez(data, n=net.n, seconds=seconds, rec_src=rs, rec_dst=rd, rec_w=rw,
             in_src=i_s, in_dst=i_d, in_w=i_w)
    script = os.path.join(directory, "cuba_brian2.py")
    with open(script, "w") as f:
        f.write(BRIAN2.format(dt=DT, tau=TAU, inputs=INPUTS, rate=INPUT_RATE))
    return script, data
