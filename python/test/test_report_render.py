"""Tests that the report renders in a browser: headless Chromium (Debian's
chromium) draws snn-run --report pages with rasters, traces and the
emulator's mesh into screenshots that are not blank. Skipped without
chromium. SNNC_REPORT_SCREENSHOTS=DIR keeps the screenshots (docs/images
holds the ones the tutorial shows)."""

import os
import shutil
import subprocess
import zlib

import numpy as np
import pytest

from conftest import SOURCE, shared, snn_run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no chromium (apt-get install chromium)")


def png_pixels(path):
    """Width, height and the distinct (r, g, b) colours of an 8-bit RGB(A)
    PNG, read with zlib alone."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour = header[8], header[9]
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    colours = set()
    for line in rows[::4]:
        for x in range(0, width, 4):
            colours.add(tuple(line[x * channels:x * channels + 3]))
    return width, height, colours


def screenshot(page, png, height):
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--window-size=1280,%d" % height,
         "--screenshot=%s" % png, "file://%s" % page],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and png.exists(), result.stderr[-2000:]
    keep = os.environ.get("SNNC_REPORT_SCREENSHOTS")
    if keep:
        shutil.copy(png, os.path.join(keep, png.name))
    return png_pixels(png)


def test_compare_report_renders(tmp_path):
    path = shared("models", "fmnist_mlp.nir")
    x = np.load(shared("models", "fmnist_mlp_testA_spikes.npy"))[:50]
    np.save(tmp_path / "x.npy", x)
    page = tmp_path / "report-compare.html"
    tool = snn_run(path, "--nir-preset", "snntorch", "--input", tmp_path / "x.npy",
                   "--compare", "float,fixed", "--weight-bits", 4, "--record", "lif1",
                   "--record-dir", tmp_path, "--report", page)
    assert tool.returncode == 0, tool.stderr
    width, height, colours = screenshot(page, tmp_path / "report-compare.png", 2000)
    assert (width, height) == (1280, 2000)
    # Black spikes, blue bars and membrane, the red divergence line.
    assert (17, 17, 17) in colours
    assert (31, 119, 180) in colours
    assert (214, 39, 40) in colours


def test_emulator_report_renders(tmp_path):
    path = shared("models", "fmnist_mlp.nir")
    x = np.load(shared("models", "fmnist_mlp_testA_spikes.npy"))[:5]
    np.save(tmp_path / "x.npy", x)
    page = tmp_path / "report-emu.html"
    tool = snn_run(path, "--nir-preset", "snntorch", "--input", tmp_path / "x.npy",
                   "--engine", "emu", "--target", SOURCE / "targets" / "loihi-class.json",
                   "--record", "lif2", "--record-dir", tmp_path, "--report", page)
    assert tool.returncode == 0, tool.stderr
    width, height, colours = screenshot(page, tmp_path / "report-emu.png", 1900)
    # The busiest cores are drawn dark red; idle mesh cells light grey.
    assert any(r > 150 and g < 60 and b < 60 for r, g, b in colours)
    assert (244, 244, 244) in colours
