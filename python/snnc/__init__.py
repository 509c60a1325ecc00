"""snnc -- SNNC, a compiler for spiking neural networks, from Python.

SNNC imports spiking networks exported as NIR (snnTorch, Norse, Sinabs,
Rockpool, Lava-dl, Spyx) into the ``snn`` MLIR dialect, runs them on a float
reference, a bit-exact fixed-point reference, generated C and a
cycle-approximate chip emulator, quantizes them to integers and writes C and
chip images. This module is the same library the command-line tools
(``snn-run``, ``snn-opt``, ``snn-translate``) are built on, with numpy arrays
in and out::

    import numpy as np, snnc
    net = snnc.load("model.nir", preset="snntorch")   # .nir or .mlir
    x = np.load("spikes.npy")                         # [samples, steps, ...]
    r = net.run(x, engine="float", record=["lif1"])
    r.output, r.counts, r.record["lif1"].v, r.summary
    q = net.quantize(weight_bits=8, state_bits=16)    # or target="targets/loihi-class.json"
    q.run(x, engine="fixed")                          # also "c" and "emu" (target=...)
    snnc.compare(net, q, x)                           # snn-run --compare, as a dict
    q.emit_c("out/")                                  # static-memory C99 and its header
    q.map("targets/loihi-class.json").emit_image("net.img")
    r.report("run.html")                              # rasters, rates, traces
    print(net)                                        # the IR

Engines:
  float  the reference in real numbers (the float model)
  fixed  the fixed-point reference, the golden model of integer engines
  c      the generated C, compiled with the host compiler and run in process
  emu    the chip image on the emulator (needs target=...); r.summary
         ["emulator"] holds cycles, energy, per-core and per-link counters

A float network given to an integer engine is quantized on the way with the
quantization arguments of the call (as snn-run does); the report is in
r.summary["quantization"].

Errors: every refusal raises snnc.Error with the message the tools print,
naming the file, node, field or limit at fault. Warnings go to stderr.

Presets (preset=): nir-spec (default, with a warning), snntorch, norse,
sinabs, rockpool, lava, spyx; dt=, reset=, reset_timing=, integration=,
spike= override single choices (docs/nir.md).
"""

import json as _json

from . import _snnc
from ._snnc import Error

__all__ = ["Error", "load", "compare", "Network", "Result", "Chip",
           "Comparison", "Trace"]

_ENGINES = ("float", "fixed", "c", "emu")


def load(path, preset=None, network=None, dt=None, reset=None,
         reset_timing=None, integration=None, spike=None):
    """Load a network from a .nir or .mlir file.

    preset names the exporter whose conventions the NIR file follows
    (snntorch, norse, sinabs, rockpool, lava, spyx; default nir-spec);
    dt, reset ("subtract" or "to_value"), reset_timing ("same_step" or
    "next_step"), integration ("euler" or "exponential") and spike ("gt" or
    "ge") override single choices. network picks one network of several.
    Raises snnc.Error with the importer's message (node, field, file).
    """
    return Network(_snnc.Network.load(str(path), preset, network, dt, reset,
                                      reset_timing, integration, spike))


class Trace:
    """Recorded traces of one node, each [samples, steps, neurons].

    out: the node's output (spikes 0/1 for spiking nodes); v: the membrane
    and i: the synaptic current, for neurons that have them (else None).
    """

    def __init__(self, arrays):
        self.out = arrays.get("out")
        self.v = arrays.get("v")
        self.i = arrays.get("i")
        self.spikes = self.out if arrays.get("spikes") else None

    def __repr__(self):
        kinds = [k for k in ("out", "v", "i") if getattr(self, k) is not None]
        return "Trace(%s, shape %s)" % (", ".join(kinds), self.out.shape)


class Result:
    """What a run produced.

    output: [samples, steps, ...] of the network's output (float64; spikes
    are 0 and 1). counts: [samples, neurons], output summed over steps.
    predictions: the class per sample (readout= of the run). record: node
    name -> Trace for the nodes given as record=. summary: snn-run's JSON
    summary as a dict (layers, spike counts, rates, synaptic operations,
    accuracy with labels=, "quantization" and "emulator" when they apply).
    """

    def __init__(self, raw):
        self.output = raw["output"]
        self.counts = raw["counts"]
        self.predictions = raw["predictions"]
        self.output_is_spikes = raw["output_spikes"]
        self.summary = _json.loads(raw["summary_json"])
        self.record = {name: Trace(arrays)
                       for name, arrays in raw["record"].items()}
        self._report = raw["report"]

    @property
    def accuracy(self):
        """The accuracy of the run given labels=, else None."""
        return self.summary.get("accuracy")

    def report(self, path):
        """Write the run as one self-contained HTML page (snn-run --report).

        Spike rasters of every spiking layer for the samples given as
        report_samples= (default sample 0), firing-rate histograms, membrane
        traces of the record= nodes with their thresholds, and for the emu
        engine the per-core heat map on the mesh, link loads and cycles per
        step. Returns path.
        """
        self._report.write(str(path))
        return path

    def __repr__(self):
        return "Result(%d samples x %d steps, output %s)" % (
            self.summary["samples"], self.summary["steps"],
            tuple(self.output.shape))


class Comparison(dict):
    """snn-run --compare's report as a dict (engines, per-node agreement,
    spike counts, accuracies, first_difference), with report(path)."""

    def __init__(self, data, report):
        super().__init__(data)
        self._report = report

    def report(self, path):
        """Write the comparison as an HTML page: agreement per layer over
        time with the first divergence marked, plus the first engine's
        rasters and rates. Returns path."""
        self._report.write(str(path))
        return path


class Chip:
    """A network mapped onto a target (snn-map): cores, synapse tables,
    routes. str(chip) is its snnhw IR; map_report() says why each group is
    where it is."""

    def __init__(self, raw):
        self._raw = raw

    def emit_image(self, path):
        """Write the chip image (snn-translate --emit-image); snn-run and
        the C runtime load it. Returns path."""
        self._raw.emit_image(str(path))
        return path

    def map_report(self):
        """snn-map's report, as text."""
        return self._raw.map_report()

    def __str__(self):
        return self._raw.text()


class Network:
    """A spiking network (float or integer) in the snn dialect.

    str(net) is its IR. Made by snnc.load and Network.quantize.
    """

    def __init__(self, raw):
        self._raw = raw

    @property
    def name(self):
        """The network's symbol name."""
        return self._raw.name

    @property
    def quantized(self):
        """True when every op has an integer meaning."""
        return self._raw.quantized

    @property
    def input_shape(self):
        """The shape of one step of input."""
        return tuple(self._raw.input_shape)

    @property
    def output_shape(self):
        """The shape of one step of output."""
        return tuple(self._raw.output_shape)

    @property
    def nodes(self):
        """The named nodes (what record= and compare name)."""
        return list(self._raw.node_names)

    @property
    def quantization(self):
        """The quantization report (a dict) of a network made by
        quantize(), else None."""
        text = self._raw.quant_report_json
        return _json.loads(text) if text else None

    def run(self, x, engine="float", *, target=None, labels=None,
            record=(), report_samples=(), batch=256, readout="count",
            **options):
        """Run the network on x and return a Result.

        x: [samples, steps, ...] or [steps, ...] numpy array (uint8, bool or
        float64 is read as it is, other dtypes are converted; the run holds
        its own copy in snn-run's input form). Outputs and traces come back
        as numpy arrays over the run's own buffers, without a copy.
        Spike inputs must be 0 or 1. engine: float, fixed, c or emu (emu
        needs target=). labels: one class per sample, for the accuracy.
        record: node names whose output, membrane and current to keep.
        report_samples: samples Result.report draws (default [0]).
        readout: count, max or final. Other options: propagation (auto,
        dense, event), precision (float64, float32), map_spike_activity,
        and the quantization arguments of quantize() for a float network on
        an integer engine.
        """
        if isinstance(record, str):
            record = [record]
        raw = self._raw.run(x, engine=engine, target=target, labels=labels,
                            record=list(record),
                            report_samples=list(report_samples),
                            batch=batch, readout=readout, **options)
        return Result(raw)

    def quantize(self, weight_bits=None, state_bits=None, *, target=None,
                 calibration=None, **options):
        """Return the integer form of the network (snn-quantize).

        weight_bits (default 8), state_bits (default 16); target: a target
        file (targets/*.json) whose formats override the widths;
        calibration: a ranges file from snn-run --calibrate. Other options:
        current_bits, acc_bits, input_bits, weight_exp_max, per_channel,
        power_of_two. The report is in .quantization.
        """
        return Network(self._raw.quantize(
            weight_bits=weight_bits, state_bits=state_bits, target=target,
            calibration=calibration, **options))

    def emit_c(self, directory):
        """Write the integer network as static-memory C99 (<name>.c) and its
        header (<name>.h) into directory; returns the two paths."""
        return list(self._raw.emit_c(str(directory)))

    def map(self, target, spike_activity=0.1):
        """Map the integer network onto a target file (snn-map); returns a
        Chip."""
        return Chip(self._raw.map(str(target), spike_activity))

    def save(self, path):
        """Write the IR to path (.mlir), for snn-opt, snn-run and
        scripts/cortex-m-run.sh. Returns path."""
        self._raw.save(str(path))
        return path

    def __str__(self):
        return self._raw.text()

    def __repr__(self):
        return "Network(%s, %s, %s -> %s)" % (
            self.name, "integer" if self.quantized else "float",
            self.input_shape, self.output_shape)


def compare(a, b, x, engines=None, *, labels=None, report_samples=(),
            **options):
    """Run two networks (or one on two engines) in lockstep on x.

    Returns snn-run --compare's report as a dict (a Comparison): per-node
    agreement, spike counts, predictions agreeing, accuracies with labels=,
    and the first sample, step, node and neuron where they part. engines
    defaults to float for a float network and fixed for an integer one;
    give two names to choose (e.g. ("fixed", "emu") with target=).
    """
    if engines is None:
        engines = ("fixed" if a.quantized else "float",
                   "fixed" if b.quantized or a is b else "float")
    json_text, report = _snnc.compare(
        a._raw, engines[0], b._raw, engines[1], x, labels=labels,
        report_samples=list(report_samples), **options)
    return Comparison(_json.loads(json_text), report)
