#!/usr/bin/env python3
"""Prints an snn.network with an N x N weight of distinct values (default
300: a module of about 700 KB), for tests of large outputs."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
rows = ",".join(
    "[" + ",".join(str((i * n + j) % 997 / 997.0) for j in range(n)) + "]"
    for i in range(n))
print(f"snn.network @big(%x: !snn.spikes<{n}>) -> (y: !snn.values<{n}>) "
      "attributes {dt = 1.0e-3} {")
print(f'  %w = snn.linear "w" %x {{weight = dense<[{rows}]> : '
      f"tensor<{n}x{n}xf32>}} : !snn.spikes<{n}> -> !snn.values<{n}>")
print(f"  snn.output %w : !snn.values<{n}>")
print("}")
