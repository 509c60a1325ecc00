#!/usr/bin/env python3
"""Writes the seed corpora of the netx and xylo-spec fuzz targets.

  test/fuzz/make_seeds.py all|netx|xylo-spec [BUILD_DIR (default build/)]

Valid netx files come from SNNC's own writer (snn-translate --emit-netx on
two test inputs); valid Xylo specifications are written here as np.savez
and the JSON form would write them. The hostile ones are made from the valid
ones (truncations, flipped bytes, members and headers that lie about their
sizes). Python's standard library only (no numpy, no h5py).
Writes into test/fuzz/corpus/netx/ and test/fuzz/corpus/xylo-spec/.
"""
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(build, *args):
    subprocess.run([os.path.join(build, "bin", args[0])] + list(args[1:]), check=True)


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def flip(data, at):
    at %= len(data)
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


def netx(build, tmp):
    out = os.path.join(ROOT, "test/fuzz/corpus/netx")
    q = os.path.join(tmp, "q.mlir")
    run(build, "snn-opt",
        "--snn-quantize=target=" + os.path.join(ROOT, "targets/loihi2.json"),
        os.path.join(ROOT, "test/Lava/Inputs/loihi2-small.mlir"), "-o", q)
    files = {}
    for name, source in (("valid-dense-rec.net", q),
                         ("valid-pooled-dense.net",
                          os.path.join(ROOT, "test/Lava/Inputs/netx-export-pool.mlir"))):
        path = os.path.join(tmp, name)
        run(build, "snn-translate", "--emit-netx", source, "-o", path)
        files[name] = open(path, "rb").read()
    for name, data in files.items():
        write(out, name, data)
    small = files["valid-pooled-dense.net"]
    write(out, "truncated-superblock.net", small[:40])
    write(out, "truncated-half.net", small[:len(small) // 2])
    write(out, "truncated-last-byte.net", small[:-1])
    for at in (9, 60, 200, 800, 1500, len(small) - 100):
        write(out, "flipped-byte-%d.net" % at, flip(small, at))
    write(out, "signature-only.net", b"\x89HDF\r\n\x1a\n")
    write(out, "text.net", b"not an HDF5 file\n")
    write(out, "empty.net", b"")


def npy(array_bytes, dtype, shape):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        dtype, "".join("%d, " % d for d in shape) if len(shape) != 1 else "%d," % shape[0])
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + array_bytes


def rezip(data, compression=zipfile.ZIP_STORED, change=None):
    """The members of npz `data`, rewritten (`change`: name -> bytes or None)."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            members[info.filename] = z.read(info)
    for name, value in (change or {}).items():
        if value is None:
            members.pop(name, None)
        else:
            members[name] = value
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, value in members.items():
            z.writestr(name, value)
    return buffer.getvalue()


# A small specification with two synapses, biases, aliases and weight shifts
# (the core of test/XyloTarget/Inputs/core.mlir).
CORE = {
    "weights_in": [[[10, 2], [-128, 0], [0, 0]], [[127, 0], [0, 5], [1, 1]]],
    "weights_rec": [[[0, 0], [20, 0], [0, 0]], [[0, 0], [0, 0], [30, 3]],
                    [[-5, 0], [0, 0], [0, 0]]],
    "weights_out": [[0, 0], [7, 0], [0, 9]],
    "dash_mem": [1, 2, 15], "dash_syn": [4, 4, 4], "dash_syn_2": [3, 3, 3],
    "dash_mem_out": [0, 0], "dash_syn_out": [2, 2],
    "threshold": [5, 40, 32767], "threshold_out": [10, 10],
    "bias": [1, 0, -2], "bias_out": [0, 0],
    "weight_shift_in": 2, "weight_shift_rec": 1, "weight_shift_out": 3,
    "aliases": [[], [0], []], "dt": 0.001,
}


def shape_of(value):
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0] if value else 0
    return shape


def flat(value):
    if isinstance(value, list):
        return [x for v in value for x in flat(v)]
    return [value]


def npz_of(spec, compression=zipfile.ZIP_STORED):
    """What np.savez writes for `spec` (int64 arrays, dt float64, aliases
    padded with -1 to (Nhid, k))."""
    members = {}
    for key, value in spec.items():
        if key == "aliases":
            k = max(len(a) for a in value)
            value = [a + [-1] * (k - len(a)) for a in value]
            shape = [len(value), k]
            data = struct.pack("<%dq" % (shape[0] * k), *flat(value))
            members[key + ".npy"] = npy(data, "<i8", shape)
        elif key == "dt":
            members[key + ".npy"] = npy(struct.pack("<d", value), "<f8", [])
        else:
            values = flat(value)
            members[key + ".npy"] = npy(struct.pack("<%dq" % len(values), *values),
                                        "<i8", shape_of(value))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def xylo(out):
    npz = npz_of(CORE)
    text = json.dumps(CORE).encode()
    write(out, "valid-core.npz", npz)
    write(out, "valid-core.json", text)
    write(out, "valid-core-deflated.npz", npz_of(CORE, zipfile.ZIP_DEFLATED))
    one_synapse = dict(CORE, weights_in=[[10, -128, 0], [127, 0, 1]],
                       weights_rec=[[0, 20, 0], [0, 0, 30], [-5, 0, 0]])
    write(out, "valid-one-synapse.npz", npz_of(one_synapse))
    write(out, "truncated.npz", npz[:len(npz) // 2])
    write(out, "flipped-byte.npz", flip(npz, len(npz) // 3))
    write(out, "missing-weights-out.npz", rezip(npz, change={"weights_out.npy": None}))
    write(out, "huge-shape-member.npz", rezip(npz, change={
        "weights_rec.npy": npy(b"", "|i1", (1 << 40, 1 << 40, 2))}))
    write(out, "float-weights-member.npz", rezip(npz, change={
        "weights_in.npy": npy(struct.pack("<4d", 1, 0.5, 2, 3), "<f8", (2, 2))}))
    write(out, "disagreeing-sizes.npz", rezip(npz, change={
        "threshold.npy": npy(struct.pack("<7q", *range(7)), "<i8", (7,))}))
    # A member that inflates far beyond its stored size (a zip bomb in small).
    zeros = npy(bytes(1 << 18), "|i1", (1 << 9, 1 << 9))
    write(out, "deflate-bomb-member.npz", rezip(npz, zipfile.ZIP_DEFLATED,
                                                {"weights_rec.npy": zeros}))
    write(out, "text-not-zip.npz", b"PK\x03\x04 not really a zip file")
    def variant(name, **changes):
        s = dict(CORE)
        for k, v in changes.items():
            if v is None:
                s.pop(k, None)
            else:
                s[k] = v
        write(out, name, json.dumps(s).encode())
    variant("missing-weights-in.json", weights_in=None)
    variant("float-weight.json", weights_out=[[1, 0.5], [2, 3], [0, 0]])
    variant("wide-weight.json", weights_out=[[1000, 0], [0, 0], [0, 0]])
    variant("alias-outside.json", aliases=[[7], [], []])
    variant("ragged-weights.json", weights_rec=[[0, 1], [2]])
    variant("huge-number.json", dt=1.7e308, weight_shift_in=10**30)
    variant("nan-dt.json", dt="NaN")
    write(out, "nested-deep.json", b"[" * 10000 + b"]" * 10000)
    write(out, "truncated.json", text[:len(text) // 2])
    write(out, "not-an-object.json", b"[1, 2, 3]")
    write(out, "empty", b"")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    corpus = os.path.join(ROOT, "test/fuzz/corpus")
    if sys.argv[1] in ("all", "xylo-spec"):
        xylo(os.path.join(corpus, "xylo-spec"))
    if sys.argv[1] in ("all", "netx"):
        with tempfile.TemporaryDirectory() as tmp:
            netx(sys.argv[2] if len(sys.argv) == 3 else os.path.join(ROOT, "build"), tmp)


if __name__ == "__main__":
    main()
