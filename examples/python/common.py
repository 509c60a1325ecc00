"""What the tutorial scripts share: where the model and its test data are,
and where the outputs go."""

import os
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE.parents[1]
SHARED = pathlib.Path(os.environ.get("SNNC_SHARED_DIR", SOURCE.parent / "shared"))
MODEL = SHARED / "models" / "fmnist_mlp.nir"
SPIKES = SHARED / "models" / "fmnist_mlp_testA_spikes.npy"
LABELS = SHARED / "models" / "fmnist_mlp_testA_labels.npy"
COUNTS = SHARED / "models" / "fmnist_mlp_testA_counts.npy"
TARGET = SOURCE / "targets" / "loihi-class.json"


def output_dir():
    """The folder for what a script writes: argv[1], else ./tutorial-out."""
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "tutorial-out")
    out.mkdir(parents=True, exist_ok=True)
    return out


def need_model():
    """Exit (reported skipped by ctest) when the shared model is absent."""
    if not MODEL.exists():
        print("SKIPPED: %s is absent (set SNNC_SHARED_DIR)" % MODEL)
        sys.exit(0)
