"""Shared helpers of the snnc tests: where the build, the tools and the
shared test data are, and a runner for snn-run."""

import os
import pathlib
import subprocess

import numpy as np
import pytest

SOURCE = pathlib.Path(os.environ.get(
    "SNNC_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BIN = pathlib.Path(os.environ.get("SNNC_BIN_DIR", SOURCE / "build" / "bin"))
SHARED = pathlib.Path(os.environ.get("SNNC_SHARED_DIR", SOURCE.parent / "shared"))


def shared(*parts):
    """A file of ../shared, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip("%s is absent (SNNC_SHARED_DIR)" % path)
    return path


def snn_run(*args, cwd=None):
    """Runs build/bin/snn-run; returns the CompletedProcess."""
    return subprocess.run([str(BIN / "snn-run"), *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def poisson(rate, shape, seed=0):
    """uint8 spikes with probability rate."""
    rng = np.random.default_rng(seed)
    return (rng.random(shape) < rate).astype(np.uint8)
