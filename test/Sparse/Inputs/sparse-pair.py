"""Writes one CUBA-like float network twice: with dense snn.linear and
snn.affine weights, and with the same weights as snn.sparse compressed rows.

  sparse-pair.py N DENSE.mlir SPARSE.mlir

N LIF neurons, 800 spike inputs. The recurrent projection keeps 20 % of its
weights (sparse as floats, dense once quantized to int8); the input
projection keeps 5 % and has a bias (sparse in both forms). Weights are
drawn from a few values with jitter, seeded, so both files hold the same
numbers.
"""

import random
import sys

INPUTS = 800


def draw(rng, rows, cols, density, values):
    """Rows of (column, weight) pairs, columns increasing."""
    out = []
    for _ in range(rows):
        picked = sorted(rng.sample(range(cols), max(1, int(cols * density))))
        out.append([(c, rng.choice(values) * (1 + 0.1 * rng.random()))
                    for c in picked])
    return out


def number(w):
    return repr(float(w))


def dense_attr(rows, cols):
    text = []
    for row in rows:
        line = [0.0] * cols
        for c, w in row:
            line[c] = w
        text.append("[" + ", ".join(number(w) for w in line) + "]")
    return (f"dense<[{', '.join(text)}]> : tensor<{len(rows)}x{cols}xf32>")


def sparse_attrs(rows):
    offsets, indices, values = [0], [], []
    for row in rows:
        for c, w in row:
            indices.append(c)
            values.append(w)
        offsets.append(len(indices))
    vec = lambda xs, t: f"dense<[{', '.join(xs)}]> : tensor<{len(xs)}x{t}>"
    return (f"offsets = {vec([str(o) for o in offsets], 'i32')}, "
            f"indices = {vec([str(i) for i in indices], 'i32')}, "
            f"values = {vec([number(v) for v in values], 'f32')}")


def write(path, n, rec, inp, bias, sparse):
    s = f"!snn.spikes<{n}>"
    v = f"!snn.values<{n}>"
    bias_attr = (f"dense<[{', '.join(number(b) for b in bias)}]> : "
                 f"tensor<{n}xf32>")
    if sparse:
        w_rec = (f'%w_rec = snn.sparse "w_rec" %0 {{{sparse_attrs(rec)}}} : '
                 f"{s} -> {v}")
        w_in = (f'%w_in = snn.sparse "w_in" %input {{{sparse_attrs(inp)}, '
                f"bias = {bias_attr}}} : !snn.spikes<{INPUTS}> -> {v}")
    else:
        w_rec = (f'%w_rec = snn.linear "w_rec" %0 {{weight = '
                 f"{dense_attr(rec, n)}}} : {s} -> {v}")
        w_in = (f'%w_in = snn.affine "w_in" %input {{weight = '
                f"{dense_attr(inp, INPUTS)}, bias = {bias_attr}}} : "
                f"!snn.spikes<{INPUTS}> -> {v}")
    with open(path, "w") as f:
        f.write(f"""snn.network @pair(%input: !snn.spikes<{INPUTS}>) -> (output: {s}) attributes {{dt = 1.0e-04 : f64}} {{
  %0 = snn.delay %lif {{steps = 1 : i64}} : {s} -> {s}
  {w_rec}
  {w_in}
  %1 = snn.sum %w_in, %w_rec : {v}, {v} -> {v}
  %lif = snn.lif "lif" %1 integration(euler) reset(to_value, next_step) fire(gt) {{r = 2.0e+02 : f64, tau = 2.0e-02 : f64, v_leak = 0.0 : f64, v_reset = 0.0 : f64, v_threshold = 1.0 : f64}} : {v} -> {s}
  snn.output %lif : {s}
}}
""")


def main():
    n, dense_path, sparse_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(7)
    rec = draw(rng, n, n, 0.2, [0.05, 0.05, 0.05, 0.05, -0.2])
    inp = draw(rng, n, INPUTS, 0.05, [0.1, 0.12])
    bias = [0.001 * rng.randint(-2, 2) for _ in range(n)]
    write(dense_path, n, rec, inp, bias, sparse=False)
    write(sparse_path, n, rec, inp, bias, sparse=True)


if __name__ == "__main__":
    main()
