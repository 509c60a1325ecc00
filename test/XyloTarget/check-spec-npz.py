"""Loads a specification .npz with numpy's own np.load (no pickle) and
prints its keys, and each array's dtype and shape."""
import sys

import numpy as np

spec = np.load(sys.argv[1], allow_pickle=False)
print("keys", " ".join(sorted(spec.files)))
for key in ["weights_in", "weights_rec", "weights_out", "dash_mem",
            "threshold", "bias", "threshold_out", "weight_shift_in"]:
    print(key, spec[key].dtype, spec[key].shape)
print("aliases", spec["aliases"].dtype, spec["aliases"].shape,
      spec["aliases"].tolist())
print("dt", spec["dt"].dtype, spec["dt"].shape, float(spec["dt"]))
