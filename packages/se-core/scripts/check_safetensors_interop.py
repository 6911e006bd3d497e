#!/usr/bin/python3
"""Reads safetensors files with numpy alone and prints what it found as JSON.

This is the "other side" of our interoperability claim: a reader that shares no
code with se-core's TypeScript codec (nor with the writer in make_golden.py), so
a file both sides read identically is a file any safetensors tool can read.

Usage: /usr/bin/python3 check_safetensors_interop.py [--f16-rounding] FILE...

Output (stdout): {"files": [{"path", "headerLength", "metadata", "tensors":
{name: {"dtype", "shape", "values"[, "asF16"]}}}]}; NaN and ±Infinity (golden
cases that test them) are written as the strings "NaN", "Infinity" and
"-Infinity", which JSON cannot hold as numbers. With --f16-rounding every
F32/F64 tensor also carries its values rounded to float16 by numpy, so a test
can check an F16 file written by TypeScript against numpy's rounding.
Exit status 1 with a message on stderr when a file is not valid safetensors.
"""

import json
import math
import struct
import sys

import numpy as np

# Little-endian numpy dtypes; BF16 has no numpy dtype and is widened by hand.
NUMPY_DTYPES = {'F16': '<f2', 'F32': '<f4', 'F64': '<f8'}
ITEM_BYTES = {'F16': 2, 'BF16': 2, 'F32': 4, 'F64': 8}


class FormatError(Exception):
    pass


def _values(dtype, raw):
    if dtype == 'BF16':
        # bfloat16 is the top half of a float32: shift the bits back into place.
        bits = np.frombuffer(raw, dtype='<u2').astype('<u4') << 16
        return bits.view('<f4')
    return np.frombuffer(raw, dtype=NUMPY_DTYPES[dtype])


def read_safetensors(data):
    """Returns (header_length, metadata, {name: (dtype, shape, ndarray)}) or raises FormatError."""
    if len(data) < 8:
        raise FormatError(f'{len(data)} bytes: too short for the 8-byte header length')
    (header_length,) = struct.unpack('<Q', data[:8])
    if header_length > len(data) - 8:
        raise FormatError(f'header length {header_length} exceeds the file ({len(data)} bytes)')
    try:
        header = json.loads(data[8 : 8 + header_length].decode('utf-8'))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FormatError(f'header is not UTF-8 JSON: {error}') from error
    if not isinstance(header, dict):
        raise FormatError('header is not a JSON object')

    metadata = header.pop('__metadata__', {})
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise FormatError('__metadata__ must map strings to strings')

    body = data[8 + header_length :]
    spans = []
    tensors = {}
    for name, entry in header.items():
        if not isinstance(entry, dict):
            raise FormatError(f'{name}: expected {{dtype, shape, data_offsets}}')
        dtype, shape, offsets = entry.get('dtype'), entry.get('shape'), entry.get('data_offsets')
        if dtype not in ITEM_BYTES:
            raise FormatError(f'{name}: unsupported dtype {dtype!r}')
        if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
            raise FormatError(f'{name}: shape {shape!r} is not a list of non-negative integers')
        if not isinstance(offsets, list) or len(offsets) != 2 or not all(isinstance(o, int) for o in offsets):
            raise FormatError(f'{name}: data_offsets {offsets!r} is not [begin, end]')
        begin, end = offsets
        count = int(np.prod(shape, dtype=np.int64))
        if end - begin != count * ITEM_BYTES[dtype]:
            raise FormatError(f'{name}: offsets [{begin}, {end}] do not hold {dtype} {shape}')
        spans.append((begin, end, name))
        tensors[name] = (dtype, list(shape), _values(dtype, body[begin:end]).reshape(shape))

    # The data section must be tiled exactly: no overlap, no hole, nothing trailing.
    cursor = 0
    for begin, end, name in sorted(spans):
        if begin != cursor:
            raise FormatError(f'{name}: starts at {begin}, expected {cursor}')
        cursor = end
    if cursor != len(body):
        raise FormatError(f'tensors cover {cursor} bytes, the data section holds {len(body)}')
    return header_length, metadata, tensors


def _json_values(array):
    """Every value widened exactly to a Python float; non-finite ones as the strings JS Number() reads."""
    values = array.astype(np.float64).ravel().tolist()
    return [v if math.isfinite(v) else 'NaN' if math.isnan(v) else 'Infinity' if v > 0 else '-Infinity' for v in values]


def describe(path, f16_rounding):
    with open(path, 'rb') as handle:
        header_length, metadata, tensors = read_safetensors(handle.read())
    out = {}
    for name, (dtype, shape, array) in tensors.items():
        # tolist() widens every float exactly to a Python float; json writes the
        # shortest round-trip repr, so JavaScript parses back the same double.
        entry = {'dtype': dtype, 'shape': shape, 'values': _json_values(array)}
        if f16_rounding and dtype in ('F32', 'F64'):
            entry['asF16'] = _json_values(array.astype(np.float16))
        out[name] = entry
    return {'path': path, 'headerLength': header_length, 'metadata': metadata, 'tensors': out}


def main(argv):
    f16_rounding = '--f16-rounding' in argv
    paths = [arg for arg in argv if arg != '--f16-rounding']
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        files = [describe(path, f16_rounding) for path in paths]
    except FormatError as error:
        print(f'invalid safetensors: {error}', file=sys.stderr)
        return 1
    json.dump({'files': files}, sys.stdout, allow_nan=False)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
