#!/usr/bin/python3
"""Writes se-core's golden cases: SE blocks evaluated by PyTorch in float64.

Run: /usr/bin/python3 packages/se-core/scripts/make_golden.py   (torch + numpy)

PyTorch is the independent oracle: y is computed with torch.nn modules, never
with our TypeScript reference, so test/golden.test.ts can judge the reference
(and through it every adapter). Weights and x are drawn in float32 (what real
models store) and upcast to float64 for the computation. Every file is then
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
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_safetensors_interop import read_safetensors  # noqa: E402

GOLDEN_DIR = Path(__file__).resolve().parent.parent / 'golden'
BASE_SEED = 1709_01507  # the SE paper's arXiv number: any fixed value would do
FORMAT_NAME = 'seblock/1'
SIGMOID = {'type': 'sigmoid'}
HS_TORCH = {'type': 'hardsigmoid', 'alpha': 1 / 6, 'beta': 0.5}  # nn.Hardsigmoid, timm, Keras 3
HS_ONNX = {'type': 'hardsigmoid', 'alpha': 0.2, 'beta': 0.5}  # ONNX default, Keras 2, TF.js
ACTIVATIONS = {'relu': nn.ReLU, 'relu6': nn.ReLU6, 'silu': nn.SiLU, 'gelu': nn.GELU, 'hardswish': nn.Hardswish}
KNEE_STEP = 2.0**-20  # exactly representable next to ±3 and ±2.5 in float32


def spec(channels, reduced, squeeze, activation, gate, bias, gain=1):
    # Key order and integer gain match se-core's canonicalSpecJSON (version 2),
    # so the metadata strings are the ones TypeScript would write.
    return {
        'version': 2,
        'channels': channels,
        'squeeze': squeeze,
        'excitation': {'kind': 'mlp', 'reducedChannels': reduced, 'activation': activation, 'bias': bias},
        'gate': gate,
        'gain': gain,
    }


def case(name, description, se, shape, layer='linear', x_scale=1.0, fc1_scale=1.0, fc2_scale=1.0, logits=None,
         exact=None):
    """fc1_scale widens the activation's input (relu6 must clip, hardswish must bend);
    logits / exact: excitation logits to place on sample 0 (see make_weights)."""
    return dict(name=name, description=description, spec=se, shape=shape, layer=layer, x_scale=x_scale,
                fc1_scale=fc1_scale, fc2_scale=fc2_scale, logits=logits or [], exact=exact or [])


KNEES_TORCH = [-3.0, 3.0, -3 + KNEE_STEP, -3 - KNEE_STEP, 3 - KNEE_STEP, 3 + KNEE_STEP, -2.5, 2.5, 0.0]
KNEES_ONNX = [-2.5, 2.5, -2.5 + KNEE_STEP, -2.5 - KNEE_STEP, 2.5 - KNEE_STEP, 2.5 + KNEE_STEP, -3.0, 3.0, 0.0]
NEAR_TORCH = [-3.1, -3.01, -2.995, -2.99, -2.9, 2.9, 2.99, 2.999, 3.01, 3.1, -2.51, -2.49, 2.49, 2.51]
NEAR_ONNX = [-2.6, -2.51, -2.495, -2.49, -2.4, 2.4, 2.49, 2.499, 2.51, 2.6, -3.01, -2.99, 2.99, 3.01]
SATURATED_SIGMOID = [-700, -100, -60, -30, -12, -8, 8, 12, 30, 60, 100, 700]
SATURATED_HARD = [-1e3, -50, -10, -5, -3.5, -3.01, 3.01, 3.5, 5, 10, 50, 1e3]

CASES = [
    case('avg-relu-sigmoid-bias', 'The paper / Cadene SE-ResNet block: C=64, r=16 (rd 4), batch 2, 7x7.',
         spec(64, 4, 'avg', 'relu', SIGMOID, True), (2, 64, 7, 7)),
    case('avg-relu-sigmoid-nobias', 'moskomule senet.pytorch: Linear layers without bias, C=32, rd 2.',
         spec(32, 2, 'avg', 'relu', SIGMOID, False), (2, 32, 6, 6)),
    case('max-relu-sigmoid-bias', 'Global max pooling squeeze, 1x1 convolutions.',
         spec(16, 4, 'max', 'relu', SIGMOID, True), (1, 16, 5, 5), layer='conv'),
    case('avgmax-relu-sigmoid-bias', 'timm SEModule add_maxpool: 0.5*avg + 0.5*max, 1x1 convolutions.',
         spec(24, 8, 'avgmax', 'relu', SIGMOID, True), (2, 24, 4, 4), layer='conv'),
    case('avg-relu6-sigmoid-bias', 'ReLU6 between the FC layers.',
         spec(16, 4, 'avg', 'relu6', SIGMOID, True), (1, 16, 4, 4), fc1_scale=6, fc2_scale=0.3),
    case('avg-silu-sigmoid-bias', 'torchvision EfficientNet: SiLU, 96 expanded channels, rd = 16 // 4 = 4.',
         spec(96, 4, 'avg', 'silu', SIGMOID, True), (1, 96, 8, 8), layer='conv', fc1_scale=3, fc2_scale=0.7),
    case('avg-gelu-sigmoid-bias', 'Exact (erf) GELU between the FC layers.',
         spec(32, 8, 'avg', 'gelu', SIGMOID, True), (2, 32, 3, 3), fc1_scale=3, fc2_scale=0.5),
    case('avg-hardswish-sigmoid-bias', 'Hard-swish between the FC layers.',
         spec(16, 4, 'avg', 'hardswish', SIGMOID, True), (1, 16, 4, 4), fc1_scale=3, fc2_scale=0.5),
    case('avg-relu-hardsigmoid-torch-bias', 'torchvision MobileNetV3: hard-sigmoid 1/6, 0.5; 72 channels, rd 24.',
         spec(72, 24, 'avg', 'relu', HS_TORCH, True), (1, 72, 7, 7), layer='conv'),
    case('avg-relu-hardsigmoid-onnx-bias', 'ONNX HardSigmoid defaults / Keras 2: alpha 0.2, beta 0.5.',
         spec(40, 16, 'avg', 'relu', HS_ONNX, True), (1, 40, 5, 5)),
    case('max-gelu-sigmoid-nobias-5x3', 'Non-square 5x3 map, max squeeze, no bias, batch 2.',
         spec(8, 2, 'max', 'gelu', SIGMOID, False), (2, 8, 5, 3)),
    case('avgmax-silu-hardsigmoid-torch-nobias-3x5', 'Non-square 3x5 map, avgmax squeeze, no bias, batch 3.',
         spec(12, 4, 'avgmax', 'silu', HS_TORCH, False), (3, 12, 3, 5), fc1_scale=3),
    case('avg-relu-sigmoid-bias-gain2', 'NFNet: gain 2 outside the gate, se_ratio 0.5.',
         spec(32, 16, 'avg', 'relu', SIGMOID, True, gain=2), (2, 32, 4, 4)),
    case('avgmax-gelu-hardsigmoid-onnx-bias-gain2', 'Gain 2 with the 0.2/0.5 hard-sigmoid.',
         spec(16, 8, 'avgmax', 'gelu', HS_ONNX, True, gain=2), (1, 16, 3, 3), layer='conv'),
    case('avg-relu6-sigmoid-bias-c1', 'A single channel (C=1, rd 1), batch 3.',
         spec(1, 1, 'avg', 'relu6', SIGMOID, True), (3, 1, 4, 4), fc1_scale=6),
    case('max-relu-hardsigmoid-torch-nobias-c1-1x1', 'C=1, rd 1 on a 1x1 map, batch 4: squeeze is the value.',
         spec(1, 1, 'max', 'relu', HS_TORCH, False), (4, 1, 1, 1)),
    case('avgmax-hardswish-sigmoid-bias-1x1', 'A 1x1 map (avg = max), batch 4.',
         spec(16, 4, 'avgmax', 'hardswish', SIGMOID, True), (4, 16, 1, 1), fc1_scale=3, fc2_scale=0.5),
    case('avg-silu-sigmoid-bias-batch5', 'Batch 5 on a 2x3 map.',
         spec(12, 3, 'avg', 'silu', SIGMOID, True), (5, 12, 2, 3), fc1_scale=3, fc2_scale=0.7),
    case('avg-relu-sigmoid-bias-c2048', 'SE-ResNet-50 stage 4 width: C=2048, rd 128, on a 2x2 map.',
         spec(2048, 128, 'avg', 'relu', SIGMOID, True), (1, 2048, 2, 2), layer='conv'),
    case('avg-relu-hardsigmoid-torch-bias-c4-rd8',
         'reducedChannels > channels: make_divisible floors 4 channels to 8 hidden units.',
         spec(4, 8, 'avg', 'relu', HS_TORCH, True), (2, 4, 3, 3)),
    case('avg-relu-sigmoid-bias-large', 'x ~ 1e3, fc2 scaled so the sigmoid saturates (logits up to about +-45).',
         spec(16, 4, 'avg', 'relu', SIGMOID, True), (2, 16, 4, 4), x_scale=1e3, fc2_scale=0.03),
    case('avgmax-hardswish-hardsigmoid-onnx-bias-large',
         'x ~ 1e3: hard-swish on values in the thousands, 0.2/0.5 hard-sigmoid saturated.',
         spec(16, 8, 'avgmax', 'hardswish', HS_ONNX, True), (2, 16, 4, 4), x_scale=1e3, fc2_scale=0.01),
    case('avg-relu-sigmoid-bias-saturated', 'Sigmoid logits placed far beyond +-3 (up to +-700).',
         spec(16, 4, 'avg', 'relu', SIGMOID, True), (1, 16, 3, 3), logits=SATURATED_SIGMOID),
    case('avg-relu-hardsigmoid-torch-bias-saturated', 'Hard-sigmoid 1/6 logits beyond +-3: gates exactly 0 or 1.',
         spec(16, 4, 'avg', 'relu', HS_TORCH, True), (1, 16, 3, 3), logits=SATURATED_HARD),
    case('avg-relu-hardsigmoid-onnx-bias-saturated', 'Hard-sigmoid 0.2 logits beyond +-2.5: gates exactly 0 or 1.',
         spec(16, 4, 'avg', 'relu', HS_ONNX, True), (1, 16, 3, 3), logits=SATURATED_HARD),
    case('avg-relu-hardsigmoid-torch-bias-knees', 'Hard-sigmoid 1/6 logits at and around its knees +-3 (and at +-2.5).',
         spec(32, 8, 'avg', 'relu', HS_TORCH, True), (1, 32, 3, 3), logits=NEAR_TORCH, exact=KNEES_TORCH),
    case('avg-relu-hardsigmoid-onnx-bias-knees', 'Hard-sigmoid 0.2 logits at and around its knees +-2.5 (and at +-3).',
         spec(32, 8, 'avg', 'relu', HS_ONNX, True), (1, 32, 3, 3), logits=NEAR_ONNX, exact=KNEES_ONNX),
]


# ---------------------------------------------------------------- the oracle


class SqueezeExcite(nn.Module):
    """The SE block out of torch.nn parts, with 'linear' (nn.Linear) or 'conv' (1x1 nn.Conv2d) layers."""

    def __init__(self, se, layer):
        super().__init__()
        mlp = se['excitation']
        c, rd, bias = se['channels'], mlp['reducedChannels'], mlp['bias']
        self.layer = layer
        if layer == 'linear':
            self.fc1, self.fc2 = nn.Linear(c, rd, bias=bias), nn.Linear(rd, c, bias=bias)
        else:
            self.fc1, self.fc2 = nn.Conv2d(c, rd, 1, bias=bias), nn.Conv2d(rd, c, 1, bias=bias)
        self.avg, self.max = nn.AdaptiveAvgPool2d(1), nn.AdaptiveMaxPool2d(1)
        self.act = ACTIVATIONS[mlp['activation']]()
        self.squeeze_mode, self.gate, self.gain = se['squeeze'], se['gate'], se['gain']

    def load(self, weights):
        with torch.no_grad():
            for name, value in weights.items():
                target = getattr(getattr(self, name.split('.')[0]), name.split('.')[1])
                target.copy_(value.reshape(target.shape))

    def squeeze(self, x):
        if self.squeeze_mode == 'avg':
            s = self.avg(x)
        elif self.squeeze_mode == 'max':
            s = self.max(x)
        else:
            s = 0.5 * self.avg(x) + 0.5 * self.max(x)
        return s.flatten(1) if self.layer == 'linear' else s

    def forward(self, x):
        """Returns y and, for checks and the summary, the fc1 outputs, logits and gain * gate."""
        pre = self.fc1(self.squeeze(x))
        z = self.fc2(self.act(pre)).flatten(1)
        e = self.gain * gate_values(self.gate, z)
        return x * e[:, :, None, None], pre.flatten(1), z, e


def gate_values(gate, z):
    if gate['type'] == 'sigmoid':
        return torch.sigmoid(z)
    g = torch.clamp(gate['alpha'] * z + gate['beta'], 0, 1)
    if gate['alpha'] == 1 / 6 and gate['beta'] == 0.5:
        # Our explicit form must be PyTorch's own hard-sigmoid, to rounding.
        gap = (g - nn.Hardsigmoid()(z)).abs().max().item()
        assert gap <= 1e-15, f'clamp(z/6 + 1/2) differs from nn.Hardsigmoid by {gap}'
    return g


# ---------------------------------------------------------------- inputs


def make_weights(item, x):
    """float32 weights; with logits/exact, fc2 is adjusted so sample 0 hits them.

    logits: fc2.bias[c] = float32(target - fc2.weight[c] . h), so the logit lands
    within a float32 rounding of the target. exact: fc2.weight[c] = 0 and
    fc2.bias[c] = target, so the logit is the target exactly in any arithmetic.
    """
    se = item['spec']
    c, rd = se['channels'], se['excitation']['reducedChannels']
    # Scaled so fc1 outputs are ~N(0, 1) for unit x whatever H*W is (an average of
    # H*W values shrinks by sqrt(H*W)); fc2 doubled because ReLU-like activations
    # zero about half the hidden units, so logits still spread over the gate's bend.
    _, _, h, wd = item['shape']
    w = {'fc1.weight': torch.randn(rd, c) * (item['fc1_scale'] * math.sqrt(h * wd / c)),
         'fc2.weight': torch.randn(c, rd) * (item['fc2_scale'] * 2 / math.sqrt(rd))}
    if se['excitation']['bias']:
        w['fc1.bias'] = torch.randn(rd) * 0.1
        w['fc2.bias'] = torch.randn(c) * 0.1
    placed = item['exact'] + item['logits']
    assert len(placed) <= c, item['name']
    if placed:
        for row, target in enumerate(item['exact']):
            w['fc2.weight'][row] = 0
            w['fc2.bias'][row] = target
            assert float(w['fc2.bias'][row]) == target, 'exact logits must be float32 values'
        block = oracle(item, w)
        bias_free = block(x[:1].double())[2][0] - block.fc2.bias
        first = len(item['exact'])
        for row, target in enumerate(item['logits'], start=first):
            w['fc2.bias'][row] = float(target - bias_free[row])
    return {name: value.float().contiguous() for name, value in w.items()}


def oracle(item, weights, layer=None):
    block = SqueezeExcite(item['spec'], layer or item['layer']).double()
    block.load({name: value.double() for name, value in weights.items()})
    return block


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
        raw = np.ascontiguousarray(array, dtype=NUMPY_DTYPES[dtype]).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(array.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # spaces are legal JSON padding; data starts 8-byte aligned
    return len(text).to_bytes(8, 'little') + text + b''.join(chunks)


def relative_gap(a, b):
    """max |a - b| / max(|b|, tiny), the same per-element measure as golden.test.ts."""
    return float(((a - b).abs() / b.abs().clamp_min(1e-300)).max())


# ---------------------------------------------------------------- main


@torch.no_grad()
def build(item):
    torch.manual_seed(seed_of(item['name']))
    x = (torch.randn(item['shape']) * item['x_scale']).float()
    weights = make_weights(item, x)
    y, pre, z, e = oracle(item, weights)(x.double())
    # The other layer kind sums in another order: how well-conditioned is y?
    other = 'conv' if item['layer'] == 'linear' else 'linear'
    y_other = oracle(item, weights, other)(x.double())[0]
    layer_gap = relative_gap(y_other, y)
    assert layer_gap < 1e-13, f"{item['name']}: Linear and Conv2d disagree by {layer_gap}"
    for row, target in enumerate(item['exact']):
        assert z[0, row].item() == target, f"{item['name']}: logit {row} is not exactly {target}"
    for row, target in enumerate(item['logits'], start=len(item['exact'])):
        assert abs(z[0, row].item() - target) <= 1e-6 * max(1, abs(target)), f"{item['name']}: logit {row}"
    return x, weights, y, (pre, z, e, layer_gap)


def write_case(item, x, weights, y):
    layer = 'nn.Linear' if item['layer'] == 'linear' else 'nn.Conv2d 1x1'
    info = {'name': item['name'], 'description': item['description'],
            'source': f'torch {torch.__version__} float64, torch.nn modules ({layer})'}
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
        assert values.tobytes() == np.ascontiguousarray(array).tobytes(), f'{path.name}: {name} values differ'
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
        x, weights, y, (pre, z, e, layer_gap) = build(item)
        data, tensors, metadata = write_case(item, x, weights, y)
        path = GOLDEN_DIR / f"{item['name']}.safetensors"
        verify_with_numpy_reader(path, tensors, metadata)
        index.append({'name': item['name'], 'file': path.name, 'description': item['description'],
                      'shape': list(item['shape']), 'spec': item['spec'], 'bytes': len(data)})
        rows.append((item['name'], 'x'.join(map(str, item['shape'])), item['layer'],
                     f'{pre.min().item():.3g}..{pre.max().item():.3g}', f'{z.min().item():.4g}..{z.max().item():.4g}',
                     f'{e.min().item():.3g}..{e.max().item():.3g}', f'{layer_gap:.1e}', len(data)))

    write_index(index)

    headers = ('case', 'N x C x H x W', 'layer', 'fc1 out', 'logits', 'gain*gate', 'lin/conv', 'bytes')
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print('  '.join(str(cell).ljust(width) for cell, width in zip(row, widths)))
    total = sum(p.stat().st_size for p in GOLDEN_DIR.iterdir() if p.is_file())
    print(f'{len(rows)} cases, golden/ holds {total} bytes; every file re-read by the numpy reader.')


if __name__ == '__main__':
    main()
