#!/usr/bin/python3
"""Writes se-core's golden cases: SE blocks evaluated by PyTorch in float64.

Run: /usr/bin/python3 packages/se-core/scripts/make_golden.py   (torch + numpy)

PyTorch is the independent oracle (golden_oracle.py): y is computed with
torch.nn modules, never with our TypeScript reference, so test/golden.test.ts
can judge the reference (and through it every adapter). Weights and x are
drawn in float32 (what real models store) and upcast to float64 for the
computation. Each case also records PyTorch's own float32 error on it
(torchFloat32Ulps), data for the conformance tolerances. Every file is then
read back with check_safetensors_interop.py, a numpy-only reader that shares
no code with the writer below. Output is byte-for-byte deterministic.
"""

import json
import math
import sys
import zlib
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_safetensors_interop import read_safetensors  # noqa: E402
from golden_cases import CASES  # noqa: E402
from golden_oracle import float32_ulps, oracle, relative_gap  # noqa: E402

GOLDEN_DIR = Path(__file__).resolve().parent.parent / 'golden'
BASE_SEED = 1709_01507  # the SE paper's arXiv number: any fixed value would do
FORMAT_NAME = 'seblock/1'
LAYER_NAMES = {'linear': 'nn.Linear', 'conv': 'nn.Conv2d 1x1'}
KIND_LAYER_NAMES = {'eca': {'linear': 'shifted sums', 'conv': 'nn.Conv1d'},
                    'ceca': {'linear': 'torch.cat of the wrapped slices, shifted sums',
                             'conv': "F.pad circular, nn.Conv1d"}}


# ---------------------------------------------------------------- inputs


def draw_x(item):
    """x ~ N(0, x_scale²), or small negative planes with one spike each; then the special values."""
    n, c, h, w = item['shape']
    x = (torch.randn(item['shape']) * item['x_scale']).float()
    if item['spikes']:
        x = -0.5 + 0.2 * x
        at = torch.randint(h * w, (n, c))
        x.view(n, c, h * w).scatter_(2, at[:, :, None], (4 + 4 * torch.rand(n, c))[:, :, None])
    for sample, channel, positions, value in item['special']:
        for p in positions:
            x[sample, channel, p // w, p % w] = value
    return x.float()


def make_weights(item, x):
    """float32 weights in se-core's canonical shapes, by tensor name.

    Scaled so the logits spread over the gate's bend for unit x whatever H*W is
    (an average of H*W values shrinks by sqrt(H*W)). For mlp with logits/exact,
    fc2 is adjusted so sample 0 hits them: logits: fc2.bias[c] = float32(target -
    fc2.weight[c] . h), within a float32 rounding of the target; exact:
    fc2.weight[c] = 0 and fc2.bias[c] = target, the target in any arithmetic.
    """
    se = item['spec']
    excitation, c = se['excitation'], se['channels']
    _, _, h, wd = item['shape']
    if excitation['kind'] in ('eca', 'ceca'):
        k = excitation['kernelSize']
        return {'conv.weight': (torch.randn(k) * (item['fc1_scale'] * 1.5 * math.sqrt(h * wd / k))).float()}
    if excitation['kind'] == 'ese':
        w = {'fc.weight': torch.randn(c, c) * (item['fc1_scale'] * 1.5 * math.sqrt(h * wd / c))}
        if excitation['bias']:
            w['fc.bias'] = torch.randn(c) * 0.1
        return {name: value.float().contiguous() for name, value in w.items()}
    # mlp and cbam: fc2 doubled because ReLU-like activations zero about half the hidden units.
    rd = excitation['reducedChannels']
    w = {'fc1.weight': torch.randn(rd, c) * (item['fc1_scale'] * math.sqrt(h * wd / c)),
         'fc2.weight': torch.randn(c, rd) * (item['fc2_scale'] * 2 / math.sqrt(rd))}
    if excitation['bias']:
        w['fc1.bias'] = torch.randn(rd) * 0.1
        w['fc2.bias'] = torch.randn(c) * 0.1
    place_logits(item, x, w)
    return {name: value.float().contiguous() for name, value in w.items()}


def place_logits(item, x, w):
    placed = item['exact'] + item['logits']
    assert len(placed) <= item['spec']['channels'], item['name']
    if not placed:
        return
    for row, target in enumerate(item['exact']):
        w['fc2.weight'][row] = 0
        w['fc2.bias'][row] = target
        assert float(w['fc2.bias'][row]) == target, 'exact logits must be float32 values'
    block = oracle(item, w)
    bias_free = block(x[:1].double())[1][0] - block.excite.fc2.bias
    for row, target in enumerate(item['logits'], start=len(item['exact'])):
        w['fc2.bias'][row] = float(target - bias_free[row])


def seed_of(name):
    return BASE_SEED + zlib.crc32(name.encode())


# ---------------------------------------------------------------- safetensors


NUMPY_DTYPES = {'F32': '<f4', 'F64': '<f8'}


def encode_safetensors(tensors, metadata):
    """tensors: {name: (dtype, ndarray)}; stored in name order, header padded to 8 bytes."""
    header = {'__metadata__': metadata}
    chunks, offset = [], 0
    for name in sorted(tensors):
        dtype, array = tensors[name]
        array = np.ascontiguousarray(array, dtype=NUMPY_DTYPES[dtype])
        # One NaN bit pattern (arithmetic may leave the sign bit set), the one JavaScript writes.
        raw = np.where(np.isnan(array), np.array(np.nan, dtype=array.dtype), array).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(array.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # spaces are legal JSON padding; data starts 8-byte aligned
    return len(text).to_bytes(8, 'little') + text + b''.join(chunks)


def json_number(value):
    """A number JSON.stringify would print the same way: integral floats as ints."""
    return int(value) if value == int(value) else value


# ---------------------------------------------------------------- main


@torch.no_grad()
def build(item):
    torch.manual_seed(seed_of(item['name']))
    x = draw_x(item)
    weights = make_weights(item, x)
    y, z, e = oracle(item, weights)(x.double())
    # The other layer form sums in another order: how well-conditioned is y?
    other = 'conv' if item['layer'] == 'linear' else 'linear'
    layer_gap = relative_gap(oracle(item, weights, other)(x.double())[0], y)
    assert layer_gap < 1e-13, f"{item['name']}: the two layer forms disagree by {layer_gap}"
    finite = z[torch.isfinite(z)]
    assert torch.unique(finite).numel() > 1, f"{item['name']}: degenerate, every finite logit is the same"
    for row, target in enumerate(item['exact']):
        assert z[0, row].item() == target, f"{item['name']}: logit {row} is not exactly {target}"
    for row, target in enumerate(item['logits'], start=len(item['exact'])):
        assert abs(z[0, row].item() - target) <= 1e-6 * max(1, abs(target)), f"{item['name']}: logit {row}"
    # PyTorch's own float32 forward: its error, and (asserted inside) the same NaN and ±inf.
    y32 = oracle(item, weights, dtype=torch.float32)(x)[0]
    torch_ulps = json_number(round(float32_ulps(y32, y, x), 3))
    return x, weights, y, (z, e, layer_gap, torch_ulps)


def write_case(item, x, weights, y, torch_ulps):
    names = KIND_LAYER_NAMES.get(item['spec']['excitation']['kind'], LAYER_NAMES)
    info = {'name': item['name'], 'description': item['description'],
            'source': f"torch {torch.__version__} float64, torch.nn modules ({names[item['layer']]})",
            'torchFloat32Ulps': torch_ulps}
    tensors = {name: ('F32', value.numpy()) for name, value in weights.items()}
    tensors['x'] = ('F32', x.numpy())
    tensors['y'] = ('F64', y.numpy())
    metadata = {'format': FORMAT_NAME,
                'se.spec': json.dumps(item['spec'], separators=(',', ':')),
                'se.case': json.dumps(info, separators=(',', ':'), ensure_ascii=False)}
    data = encode_safetensors(tensors, metadata)
    (GOLDEN_DIR / f"{item['name']}.safetensors").write_bytes(data)
    return data, tensors, metadata


def verify_with_numpy_reader(path, tensors, metadata):
    """Reads the file back with the numpy-only reader: same metadata, bit-identical values."""
    _, read_metadata, read_tensors = read_safetensors(path.read_bytes())
    assert read_metadata == metadata, f'{path.name}: metadata differs'
    assert sorted(read_tensors) == sorted(tensors), f'{path.name}: tensor names differ'
    for name, (dtype, array) in tensors.items():
        read_dtype, shape, values = read_tensors[name]
        assert read_dtype == dtype and tuple(shape) == array.shape, f'{path.name}: {name} header differs'
        assert np.array_equal(values, array, equal_nan=True), f'{path.name}: {name} values differ'
    spec_back = json.loads(read_metadata['se.spec'])
    assert spec_back['channels'] == read_tensors['x'][1][1], f'{path.name}: x has the wrong channel count'


def write_index(cases):
    """golden/index.json, one case per line so diffs stay readable."""
    head = {'format': FORMAT_NAME, 'generator': 'packages/se-core/scripts/make_golden.py',
            'source': f'torch {torch.__version__} float64'}
    lines = [json.dumps(entry, ensure_ascii=False) for entry in cases]
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "cases": [\n  ' + ',\n  '.join(lines) + '\n]}\n'
    json.loads(text)  # still one valid JSON document
    (GOLDEN_DIR / 'index.json').write_text(text)


def finite_range(t, digits):
    finite = t[torch.isfinite(t)]
    extra = ' +nonfinite' if finite.numel() < t.numel() else ''
    return f'{finite.min().item():.{digits}g}..{finite.max().item():.{digits}g}{extra}' if finite.numel() else 'none'


def main():
    torch.set_num_threads(1)  # one summation order, so reruns give identical bytes
    GOLDEN_DIR.mkdir(exist_ok=True)
    names = [item['name'] for item in CASES]
    assert len(set(names)) == len(names), 'case names must be unique'
    for stale in GOLDEN_DIR.glob('*.safetensors'):
        if stale.stem not in names:
            stale.unlink()

    index, rows = [], []
    for item in CASES:
        x, weights, y, (z, e, layer_gap, torch_ulps) = build(item)
        data, tensors, metadata = write_case(item, x, weights, y, torch_ulps)
        path = GOLDEN_DIR / f"{item['name']}.safetensors"
        verify_with_numpy_reader(path, tensors, metadata)
        index.append({'name': item['name'], 'file': path.name, 'description': item['description'],
                      'shape': list(item['shape']), 'spec': item['spec'], 'torchFloat32Ulps': torch_ulps,
                      'bytes': len(data)})
        rows.append((item['name'], 'x'.join(map(str, item['shape'])), item['spec']['excitation']['kind'],
                     item['layer'], finite_range(z, 4), finite_range(e, 3), f'{layer_gap:.1e}', torch_ulps,
                     len(data)))

    write_index(index)

    headers = ('case', 'N x C x H x W', 'kind', 'layer', 'logits', 'gain*gate', 'lin/conv', 'torch f32 ULP',
               'bytes')
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print('  '.join(str(cell).ljust(width) for cell, width in zip(row, widths)))
    total = sum(p.stat().st_size for p in GOLDEN_DIR.iterdir() if p.is_file())
    print(f'{len(rows)} cases, golden/ holds {total} bytes; every file re-read by the numpy reader.')


if __name__ == '__main__':
    main()
