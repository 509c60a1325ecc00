"""Compares a recorded single-LIF run (PREFIX.spikes.npy, PREFIX.v.npy) with
a NIR paper trace CSV (input, membrane, spike per row)."""
import sys

import numpy as np

prefix, csv = sys.argv[1], sys.argv[2]
spikes = np.load(prefix + ".spikes.npy")[0, :, 0]
v = np.load(prefix + ".v.npy")[0, :, 0]
ref = np.loadtxt(csv, delimiter=",")
ours, theirs = np.nonzero(spikes)[0], np.nonzero(ref[:, 2])[0]
same = len(ours) == len(theirs) and bool(np.all(ours == theirs))
print("spikes at", " ".join(map(str, ours)) + "; recorded",
      " ".join(map(str, theirs)) + ";", "equal" if same else "differ")
error = float(np.max(np.abs(v - ref[:, 1])))
print("max membrane error", error)
print("membrane within 1e-07:", "yes" if error < 1e-7 else "no")
