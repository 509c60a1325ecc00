"""Copies an HDF5 file and corrupts one variable-length string element in it.

    corrupt_hdf5_string.py IN OUT DATASET FIELD VALUE [INDEX]

DATASET is the string dataset's path (e.g. /node/nodes/fc_in/type), INDEX
the element (default 0). FIELD is what to overwrite in the 16-byte element
HDF5 stores for a variable-length string: `length` (its 4-byte length),
`address` (the global heap collection it lives in) or `index` (its object in
that collection). h5py gives the dataset's raw data offset; the bytes are
patched directly, as a damaged or hostile file would hold them.
"""
import shutil
import struct
import sys

import h5py

src, dst, path, field, value = sys.argv[1:6]
element = int(sys.argv[6]) if len(sys.argv) > 6 else 0
with h5py.File(src, "r") as f:
    dataset = f[path]
    assert h5py.check_string_dtype(dataset.dtype).length is None, "not vlen"
    offset = dataset.id.get_offset()
    assert offset is not None, "not stored contiguously"
shutil.copyfile(src, dst)
where, fmt = {"length": (0, "<I"), "address": (4, "<Q"), "index": (12, "<I")}[field]
with open(dst, "r+b") as out:
    out.seek(offset + 16 * element + where)
    out.write(struct.pack(fmt, int(value, 0)))
