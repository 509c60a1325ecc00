"""Writes a small recurrent network whose neuron takes the C backend's 16-bit
path (docs/embedded.md) in one configuration of its update, for
test/Sparse/narrow16.test:

    narrow16-nets.py CONFIG > net.mlir

64 spike inputs and the neurons' own spikes one step late feed two sparse
tables (30 % of the weights non-zero) whose sum drives N neurons. Each
configuration picks the decay, rounding, overflow, reset, widths, current,
bias and per-neuron parameters; the weights are scaled to the membrane's
width so that the saturating ones saturate (one at its least value,
one at its largest) and the wrapping one wraps."""
import random
import sys

N, INPUTS = 48, 64

CONFIGS = {
    # name: qneuron keywords, attributes, weight range
    "base": ("decay(multiply) rounding(nearest_even) overflow(saturate) "
             "reset(to_value, same_step) fire(gt)",
             "v_bits = 16 : i64, decay_shift = 12 : i64, v_decay = 4000 : i64,"
             " v_threshold = 900 : i64, v_reset = -40 : i64", (-127, 127)),
    "current": ("decay(multiply) rounding(half_away) overflow(saturate) "
                "reset(subtract, next_step) fire(ge)",
                "v_bits = 16 : i64, i_bits = 14 : i64, decay_shift = 14 : i64,"
                " v_decay = 16000 : i64, i_decay = 8192 : i64,"
                " i_scale = 1.0 : f64, v_threshold = 3000 : i64", (-120, 120)),
    "bias": ("decay(shift) rounding(floor) overflow(saturate) "
             "reset(to_value, same_step) fire(gt)",
             "v_bits = 10 : i64, v_decay = dense<[%s]> : tensor<%dxi64>,"
             " v_bias = dense<[%s]> : tensor<%dxi64>,"
             " v_threshold = dense<[%s]> : tensor<%dxi64>, v_reset = 3 : i64",
             (-20, 20)),
    "wrap": ("decay(multiply) rounding(nearest_even) overflow(wrap) "
             "reset(subtract, same_step) fire(gt)",
             "v_bits = 12 : i64, decay_shift = 4 : i64, v_decay = 15 : i64,"
             " v_threshold = 1500 : i64", (-90, 90)),
    # Drifts down to the membrane's least value and stays there.
    "nofire": ("decay(multiply) rounding(floor) overflow(saturate)",
               "v_bits = 8 : i64, decay_shift = 5 : i64, v_decay = 31 : i64",
               (-6, 2)),
    # Its current and membrane climb to their largest values.
    "ceiling": ("decay(multiply) rounding(half_away) overflow(saturate)",
                "v_bits = 9 : i64, i_bits = 9 : i64, decay_shift = 5 : i64,"
                " v_decay = 31 : i64, i_decay = 30 : i64, i_scale = 1.0 : f64",
                (-2, 6)),
}


def table(name, source, inputs, weights, rng, kind):
    offsets, indices, values = [0], [], []
    for _ in range(N):
        for j in range(inputs):
            if rng.random() < 0.3:
                indices.append(j)
                values.append(rng.randint(*weights) or 1)
        offsets.append(len(indices))
    ints = lambda v: ", ".join(map(str, v))
    return (f'  %{name} = snn.qsparse "{name}" %{source} overflow(saturate) '
            f"{{offsets = dense<[{ints(offsets)}]> : tensor<{N + 1}xi32>, "
            f"indices = dense<[{ints(indices)}]> : tensor<{len(indices)}xi32>, "
            f"values = dense<[{ints(values)}]> : tensor<{len(values)}xi8>, "
            f"weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64}} "
            f": !snn.{kind}<{inputs}> -> !snn.values<{N}>")


def main():
    config = sys.argv[1]
    rng = random.Random(config)
    keywords, attributes, weights = CONFIGS[config]
    fires = "fire(" in keywords
    if config == "bias":
        ints = lambda v: ", ".join(map(str, v))
        attributes = attributes % (
            ints(rng.randint(1, 15) for _ in range(N)), N,
            ints(rng.randint(-30, 30) for _ in range(N)), N,
            ints(rng.randint(100, 400) for _ in range(N)), N)
    out = "spikes" if fires else "values"
    print(f"snn.network @n16(%x: !snn.spikes<{INPUTS}>) -> "
          f"(y: !snn.{out}<{N}>) attributes {{dt = 1.0e-03 : f64}} {{")
    recurrent = "d" if fires else "x"
    if fires:
        print(f'  %d = snn.delay "d" %lif {{steps = 1}} : !snn.spikes<{N}> '
              f"-> !snn.spikes<{N}>")
    print(table("w_in", "x", INPUTS, weights, rng, "spikes"))
    print(table("w_rec", recurrent, N if fires else INPUTS, weights, rng,
                "spikes"))
    print(f'  %s = snn.sum "s" %w_in, %w_rec : !snn.values<{N}>, '
          f"!snn.values<{N}> -> !snn.values<{N}>")
    print(f'  %lif = snn.qneuron "lif" %s {keywords} {{{attributes}, '
          f"v_scale = 1.0 : f64}} : !snn.values<{N}> -> !snn.{out}<{N}>")
    print(f"  snn.output %lif : !snn.{out}<{N}>")
    print("}")


main()
