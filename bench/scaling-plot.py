#!/usr/bin/python3
"""Draws bench/cuba's scaling table as an SVG: time per step against N.

  bench/cuba --sizes 1000,4000,16000,65536 --seconds 1 --engines c | tee t.txt
  bench/scaling-plot.py t.txt -o scaling.svg
  bench/scaling-plot.py docs/performance.md -o docs/images/scaling.svg

Reads the "generated C" rows of the table bench/cuba prints (N, synapses,
seconds per simulated second, events per second), or the scaling table of
docs/performance.md that keeps them, and plots microseconds per
step at each N with the line t = c*N (c the mean time per neuron) fitted to the
sizes up to --fit-max, so a departure from linear scaling shows as a point
off the line. Needs nothing beyond the standard library.
"""

import argparse
import math
import sys

STEPS_PER_SIM_SECOND = 10000  # dt = 0.1 ms


def number(text):
    """A figure as docs/performance.md writes it: '1 000', '≈ 210', '1.17·10⁸'."""
    text = text.replace("≈", "").replace(" ", "").replace("\u202f", "")
    if "·10" in text:
        mantissa, exponent = text.split("·10")
        digits = exponent.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))
        return float(mantissa) * 10 ** int(digits)
    return float(text)


def read_rows(lines):
    """(N, microseconds per step, events per step) of every generated-C row
    of bench/cuba's table, or of every row of the scaling table in
    docs/performance.md (under "## Scaling": | N | synapses | events per step | CPU s per
    simulated s | ...)."""
    rows = []
    section = None  # the markdown heading above the line
    for line in lines:
        if line.startswith("## "):
            section = line[3:].strip()
        if line.startswith("generated C") and section is None:
            fields = line[len("generated C"):].split()
            n, seconds, events_per_s = int(fields[0]), float(fields[2]), float(fields[3])
            rows.append((n, seconds * 1e6 / STEPS_PER_SIM_SECOND,
                         events_per_s * seconds / STEPS_PER_SIM_SECOND))
        elif section == "Scaling" and line.startswith("| "):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            try:
                n, events, seconds = number(cells[0]), number(cells[2]), number(cells[3])
            except ValueError:
                continue  # a header or another table
            rows.append((int(n), seconds * 1e6 / STEPS_PER_SIM_SECOND, events))
    if not rows:
        sys.exit("scaling-plot: no 'generated C' rows or scaling table in the input")
    return sorted(rows)


def fit(rows):
    """t = c*N with c the mean time per neuron and step, each size weighed
    alike (least squares would follow the largest). Events grow with N at
    constant fan-in and rate, so one term is all the data can tell apart."""
    return sum(t / n for n, t, _ in rows) / len(rows)


def nice_ceiling(x):
    step = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if m * step >= x:
            return m * step
    return 10 * step


def svg(rows, c, fit_max):
    """Time per neuron and step against N on a log axis: linear scaling is
    a flat row of points on the dashed line."""
    w, h, left, bottom, top, right = 680, 360, 70, 50, 30, 80
    lo = math.floor(math.log2(min(n for n, _, _ in rows)))
    hi = math.ceil(math.log2(max(n for n, _, _ in rows)))
    hi = max(hi, lo + 1)
    ymax = nice_ceiling(max(max(t / n for n, t, _ in rows), c) * 1e3 * 1.25)
    px = lambda n: left + (w - left - right) * (math.log2(n) - lo) / (hi - lo)  # noqa: E731
    py = lambda ns: h - bottom - (h - top - bottom) * ns / ymax  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<line x1="{left}" y1="{py(0)}" x2="{w - right}" y2="{py(0)}" stroke="black"/>',
           f'<line x1="{left}" y1="{py(0)}" x2="{left}" y2="{top}" stroke="black"/>']
    for e in range(lo, hi + 1, 2 if hi - lo > 8 else 1):
        out.append(f'<text x="{px(2 ** e)}" y="{py(0) + 18}" '
                   f'text-anchor="middle">{2 ** e}</text>')
    for k in range(6):
        yv = ymax * k / 5
        out.append(f'<text x="{left - 6}" y="{py(yv) + 4}" text-anchor="end">{yv:g}</text>')
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 10}" text-anchor="middle">'
               'neurons N (log scale; fan-in constant, so synapses and events grow with N)</text>')
    mid = (top + h - bottom) / 2
    out.append(f'<text x="16" y="{mid}" text-anchor="middle" '
               f'transform="rotate(-90 16 {mid})">ns per neuron and step</text>')
    out.append(f'<line x1="{left}" y1="{py(c * 1e3)}" x2="{w - right}" y2="{py(c * 1e3)}" '
               'stroke="#888" stroke-dasharray="4 3"/>')
    for n, t, _ in rows:
        colour = "#1f77b4" if n <= fit_max else "#d62728"
        ns = t / n * 1e3
        out.append(f'<circle cx="{px(n)}" cy="{py(ns)}" r="4" fill="{colour}"/>')
        out.append(f'<text x="{px(n)}" y="{py(ns) - 9}" text-anchor="middle">'
                   f'{ns:.2f} ({t:.3g} µs/step)</text>')
    out.append(f'<text x="{left + 10}" y="{top - 10}">generated C; dashed: the mean '
               f'{c * 1e3:.2f} ns of N ≤ {fit_max}; red: sizes beyond</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("table", help="bench/cuba's output ('-' for stdin)")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--fit-max", type=int, default=16000,
                   help="fit the line to sizes up to this N")
    args = p.parse_args()
    text = sys.stdin if args.table == "-" else open(args.table, encoding="utf-8")
    rows = read_rows(text)
    fitted = [r for r in rows if r[0] <= args.fit_max] or rows
    c = fit(fitted)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(svg(rows, c, args.fit_max))
    for n, t, e in rows:
        print(f"N={n:6d}  {t:8.2f} us/step  events/step={e:8.0f}  "
              f"{t / n * 1e3:5.2f} ns/neuron  line {c * n:8.2f} ({t / (c * n) - 1:+.0%})")


if __name__ == "__main__":
    main()
