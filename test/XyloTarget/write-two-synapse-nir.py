"""Writes a NIR graph (HDF5, nir.write's layout) in which two LI nodes with
different time constants feed one LIF population: a fast synapse from the
input and a slow one from the input and from the population's own spikes
(a cycle, as NIR writes recurrence). second-synapse-nir.test quantizes it
for Xylo Audio 2, where the slow one becomes each neuron's second synaptic
state. Needs h5py and numpy.

  write-two-synapse-nir.py OUT.nir [synapse-cycle]

With `synapse-cycle` the edges are ordered so that the importer closes the
cycle between the slow synapse and the LIF (a delay on the synaptic
current), which Xylo cannot hold.
"""
import sys

import h5py
import numpy as np

N_IN, N_HID, N_OUT = 4, 8, 3


def node(nodes, name, kind, **params):
    g = nodes.create_group(name)
    g.create_dataset("type", data=kind, dtype=h5py.string_dtype())
    for key, value in params.items():
        g.create_dataset(key, data=value)


def main(path, synapse_cycle):
    rng = np.random.default_rng(5)
    ones = np.ones(N_HID)
    w_fast = np.where(rng.random((N_HID, N_IN)) < 0.5,
                      rng.uniform(0.3, 0.9, (N_HID, N_IN)), 0.0)
    w_slow = np.where(rng.random((N_HID, N_IN)) < 0.5,
                      rng.uniform(0.5, 2.0, (N_HID, N_IN)), 0.0)
    w_rec = np.where(rng.random((N_HID, N_HID)) < 0.2,
                     rng.choice([-1.0, 1.0], (N_HID, N_HID)), 0.0)
    np.fill_diagonal(w_rec, 0.0)
    w_out = np.zeros((N_OUT, N_HID))
    for o in range(N_OUT):
        w_out[o, 3 * o:3 * o + 3] = 0.6
    with h5py.File(path, "w") as f:
        f.create_dataset("version", data="0.2.0", dtype=h5py.string_dtype())
        graph = f.create_group("node")
        graph.create_dataset("type", data="NIRGraph", dtype=h5py.string_dtype())
        nodes = graph.create_group("nodes")
        node(nodes, "input", "Input", shape=np.array([N_IN]))
        node(nodes, "w_fast", "Linear", weight=w_fast.astype(np.float32))
        node(nodes, "w_slow", "Linear", weight=w_slow.astype(np.float32))
        node(nodes, "w_rec", "Linear", weight=w_rec.astype(np.float32))
        node(nodes, "syn_fast", "LI", tau=2e-3 * ones, r=ones,
             v_leak=0 * ones)
        node(nodes, "syn_slow", "LI", tau=16e-3 * ones, r=ones,
             v_leak=0 * ones)
        node(nodes, "h", "LIF", tau=8e-3 * ones, r=ones, v_leak=0 * ones,
             v_threshold=0.5 * ones)
        node(nodes, "o", "Linear", weight=w_out.astype(np.float32))
        o = np.ones(N_OUT)
        node(nodes, "y", "CubaLIF", tau_syn=4e-3 * o, tau_mem=8e-3 * o, r=o,
             v_leak=0 * o, v_threshold=0.5 * o, w_in=o)
        node(nodes, "output", "Output", shape=np.array([N_OUT]))
        # Edge order decides where the importer closes the cycle (a
        # depth-first search from the input): reached through the slow
        # synapse, it closes at the recurrent weights, which then read the
        # spikes of the previous step as Xylo's do.
        edges = [("input", "w_slow"), ("w_slow", "syn_slow"),
                 ("syn_slow", "h"), ("h", "w_rec"), ("w_rec", "syn_slow"),
                 ("input", "w_fast"), ("w_fast", "syn_fast"),
                 ("syn_fast", "h"), ("h", "o"), ("o", "y"), ("y", "output")]
        if synapse_cycle:
            # Reached through the fast synapse first, the cycle closes at
            # the edge syn_slow -> h.
            edges = edges[5:8] + edges[:5] + edges[8:]
        graph.create_dataset("edges", data=np.array(edges, dtype=object),
                             dtype=h5py.string_dtype())


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or sys.argv[2:] not in ([], ["synapse-cycle"]):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:] == ["synapse-cycle"])
