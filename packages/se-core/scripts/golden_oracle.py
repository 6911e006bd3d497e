"""The oracle of make_golden.py: SE blocks of every excitation kind built from
torch.nn parts, evaluated by PyTorch (float64 for y, float32 for the tolerance
data). Written from SPEC.md and the papers, never from se-core's TypeScript.

Each kind exists in two layer forms whose arithmetic differs (summation order,
the formula itself), so make_golden.py can check that a case is well
conditioned: 'linear' (nn.Linear, or an explicit matrix) and 'conv'
(nn.Conv2d 1x1, or nn.Conv1d)."""

import numpy as np
import torch
from torch import nn

ACTIVATIONS = {'relu': nn.ReLU, 'relu6': nn.ReLU6, 'silu': nn.SiLU, 'gelu': nn.GELU, 'hardswish': nn.Hardswish}


class TwoLayer(nn.Module):
    """Kinds mlp and cbam: W2 · act(W1 · d + b1) + b2 (tensors fc1.*, fc2.*)."""

    def __init__(self, channels, excitation, layer):
        super().__init__()
        rd, bias = excitation['reducedChannels'], excitation['bias']
        self.conv = layer == 'conv'
        if self.conv:
            self.fc1, self.fc2 = nn.Conv2d(channels, rd, 1, bias=bias), nn.Conv2d(rd, channels, 1, bias=bias)
        else:
            self.fc1, self.fc2 = nn.Linear(channels, rd, bias=bias), nn.Linear(rd, channels, bias=bias)
        self.act = ACTIVATIONS[excitation['activation']]()

    def forward(self, d):
        d = d[:, :, None, None] if self.conv else d
        return self.fc2(self.act(self.fc1(d))).flatten(1)


class FullLayer(nn.Module):
    """Kind ese: W · d + b with W [C, C] (tensors fc.weight, fc.bias), as timm EffectiveSEModule."""

    def __init__(self, channels, excitation, layer):
        super().__init__()
        self.conv, bias = layer == 'conv', excitation['bias']
        if self.conv:
            self.fc = nn.Conv2d(channels, channels, 1, bias=bias)
        else:
            self.fc = nn.Linear(channels, channels, bias=bias)

    def forward(self, d):
        return self.fc(d[:, :, None, None] if self.conv else d).flatten(1)


class Band(nn.Module):
    """Kind eca: a k-tap convolution across channels, zero padding, no bias (tensor conv.weight),
    as timm EcaModule: nn.Conv1d, or (layer 'linear') the same taps as explicit shifted sums."""

    def __init__(self, channels, excitation, layer):
        super().__init__()
        k = excitation['kernelSize']
        self.conv = nn.Conv1d(1, 1, k, padding=(k - 1) // 2, bias=False)
        self.shifted_sums = layer == 'linear'

    def forward(self, d):
        if not self.shifted_sums:
            return self.conv(d[:, None, :]).flatten(1)
        w = self.conv.weight.flatten()
        k, c = w.numel(), d.shape[1]
        padded = nn.functional.pad(d, ((k - 1) // 2, (k - 1) // 2))
        z = w[0] * padded[:, 0:c]
        for j in range(1, k):
            z = z + w[j] * padded[:, j:j + c]
        return z


class CircularBand(nn.Module):
    """Kind ceca: eca's taps with the channels wrapped around instead of zero padding, as timm
    CecaModule: F.pad(mode='circular') then nn.Conv1d without padding, or (layer 'linear') the
    wrapped slices joined with torch.cat and the taps as explicit shifted sums."""

    def __init__(self, channels, excitation, layer):
        super().__init__()
        k = excitation['kernelSize']
        self.pad = (k - 1) // 2
        self.conv = nn.Conv1d(1, 1, k, padding=0, bias=False)
        self.shifted_sums = layer == 'linear'

    def forward(self, d):
        p = self.pad
        if not self.shifted_sums:
            return self.conv(nn.functional.pad(d[:, None, :], (p, p), mode='circular')).flatten(1)
        w = self.conv.weight.flatten()
        k, c = w.numel(), d.shape[1]
        padded = torch.cat([d[:, c - p:], d, d[:, :p]], dim=1) if p else d
        z = w[0] * padded[:, 0:c]
        for j in range(1, k):
            z = z + w[j] * padded[:, j:j + c]
        return z


EXCITATIONS = {'mlp': TwoLayer, 'cbam': TwoLayer, 'ese': FullLayer, 'eca': Band, 'ceca': CircularBand}


def gate_values(gate, z):
    if gate['type'] == 'sigmoid':
        return torch.sigmoid(z)
    g = torch.clamp(gate['alpha'] * z + gate['beta'], 0, 1)
    if gate['alpha'] == 1 / 6 and gate['beta'] == 0.5:
        if z.dtype != torch.float64:
            return nn.Hardsigmoid()(z)  # what a float32 timm / torchvision model runs
        # Our explicit form must be PyTorch's own hard-sigmoid, to rounding (NaN where it is NaN).
        gap = torch.nan_to_num(g - nn.Hardsigmoid()(z), nan=0.0).abs().max().item()
        assert gap <= 1e-15, f'clamp(z/6 + 1/2) differs from nn.Hardsigmoid by {gap}'
    return g


def with_float32_overflow(x, avg):
    """SPEC.md, "NaN and overflow": where the exact sum of a plane rounded to
    float32 is ±Infinity, the mean is that ±Infinity, as PyTorch's float32 sum
    overflows. A float64 mean never would; make_golden.py checks the rule
    against PyTorch's own float32 forward on every case."""
    sums = x.sum((2, 3)).float()
    return torch.where(torch.isinf(sums), sums.double(), avg)


class Block(nn.Module):
    """y = x · gain · gate(Σ_d logits(d)) over the descriptors the squeeze gives."""

    def __init__(self, se, layer):
        super().__init__()
        excitation = se['excitation']
        self.excite = EXCITATIONS[excitation['kind']](se['channels'], excitation, layer)
        self.avg, self.max = nn.AdaptiveAvgPool2d(1), nn.AdaptiveMaxPool2d(1)
        self.squeeze_mode, self.gate, self.gain = se['squeeze'], se['gate'], se['gain']

    def load(self, weights):
        """weights: {'fc1.weight': tensor, ...} in se-core's canonical shapes."""
        with torch.no_grad():
            for name, value in weights.items():
                target = self.excite.get_parameter(name)
                target.copy_(value.reshape(target.shape))

    def descriptors(self, x):
        avg, mx = self.avg(x).flatten(1), self.max(x).flatten(1)
        if x.dtype == torch.float64:
            avg = with_float32_overflow(x, avg)
        return {'avg': [avg], 'max': [mx], 'avgmax': [0.5 * avg + 0.5 * mx], 'avg+max': [avg, mx]}[self.squeeze_mode]

    def forward(self, x):
        """Returns y, the summed logits z and e = gain · gate(z)."""
        first, *rest = self.descriptors(x)
        z = self.excite(first)
        for d in rest:
            z = z + self.excite(d)  # CBAM: the logits of avg and max add before the gate
        e = self.gain * gate_values(self.gate, z)
        return x * e[:, :, None, None], z, e


def oracle(item, weights, layer=None, dtype=torch.float64):
    block = Block(item['spec'], layer or item['layer']).to(dtype)
    block.load({name: value.to(dtype) for name, value in weights.items()})
    return block


def relative_gap(a, b):
    """max |a - b| / max(|b|, tiny), the measure of golden.test.ts: NaN must meet NaN, ±inf itself."""
    same = (a == b) | (torch.isnan(a) & torch.isnan(b))
    gaps = ((a - b).abs() / b.abs().clamp_min(1e-300)).masked_fill(same, 0.0)
    return float(torch.nan_to_num(gaps, nan=float('inf')).max())


def float32_ulps(y32, y64, x):
    """PyTorch's float32 error in float32 ULPs of max(|y|, |x|), se-core's accuracyOf
    metric; NaN and ±inf (after rounding y to float32) must be reproduced exactly."""
    y32, expected, x = y32.double().numpy().ravel(), y64.numpy().ravel(), x.double().numpy().ravel()
    rounded = expected.astype(np.float32).astype(np.float64)
    nan, inf = np.isnan(expected), np.isinf(rounded)
    assert np.isnan(y32[nan]).all(), 'PyTorch float32 is not NaN where the float64 oracle is'
    assert (y32[inf] == rounded[inf]).all(), 'PyTorch float32 is not the same ±inf as the oracle'
    finite = ~nan & ~inf
    scale = np.maximum(np.abs(expected[finite]), np.abs(x[finite])).astype(np.float32)
    ulps = np.abs(y32[finite] - expected[finite]) / np.spacing(np.abs(scale)).astype(np.float64)
    assert np.isfinite(ulps).all(), 'PyTorch float32 gives NaN or inf where the float64 oracle is finite'
    return float(ulps.max()) if ulps.size else 0.0
