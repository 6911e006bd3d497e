#!/usr/bin/python3
"""Writes the importer fixtures of the excitation kinds other than mlp, in
packages/se-core/test/fixtures/kinds/.

Each fixture is the state_dict of a small model built with timm's module
structure (so its tensor names are the ones a real timm checkpoint has), at
reduced widths, plus a partner file with the expected output of every
attention block, computed in float64 by the block's own forward on a fixed
input. The TypeScript test checks importer -> seReference == PyTorch.

timm itself is not installed here: the modules below follow timm's
EffectiveSEModule, HGNet EseModule, CbamModule / ChannelAttn, EcaModule and CecaModule,
with the attribute names of its VovNet OsaBlock, HGNet HighPerfGpuBlock, ResNet
Bottleneck and NFNet NormFreeBlock (read from timm's source), written for this
script.

Run with Debian's python3-torch 1.13:

    /usr/bin/python3 packages/se-core/scripts/make_kind_fixtures.py

Integer buffers (BatchNorm's num_batches_tracked) are left out: se-core reads
float tensors. CI never runs this: the outputs are committed.
"""

import copy
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import encode_safetensors  # noqa: E402

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'kinds')
N, H, W = 2, 3, 2  # batch 2 keeps samples apart; a small non-square map keeps files small
SIGMOID = {'type': 'sigmoid'}
HARD_SIGMOID = {'type': 'hardsigmoid', 'alpha': 1 / 6, 'beta': 0.5}


# ---------------------------------------------------------------- timm-shaped modules


class ConvNormAct(nn.Module):
    """timm ConvNormAct / HGNet ConvBNAct: conv (no bias), bn, ReLU."""

    def __init__(self, cin, cout, k=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)


class EffectiveSEModule(nn.Module):
    """timm EffectiveSEModule: x * hard_sigmoid(fc(mean(x)))."""

    def __init__(self, channels):
        super().__init__()
        self.fc = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        return x * F.hardsigmoid(self.fc(x.mean((2, 3), keepdim=True)))


class EseModule(nn.Module):
    """timm HGNet EseModule: x * sigmoid(conv(mean(x)))."""

    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        return x * torch.sigmoid(self.conv(x.mean((2, 3), keepdim=True)))


class EcaModule(nn.Module):
    """timm EcaModule(channels=C): a k-tap Conv1d across channels, k = max(adaptive, 3), sigmoid."""

    def __init__(self, channels):
        super().__init__()
        t = int(abs(math.log(channels, 2) + 1) / 2)
        k = max(t if t % 2 else t + 1, 3)
        self.conv = nn.Conv1d(1, 1, k, padding=(k - 1) // 2, bias=False)

    def forward(self, x):
        y = self.conv(x.mean((2, 3)).view(x.shape[0], 1, -1))
        return x * torch.sigmoid(y).view(x.shape[0], -1, 1, 1)


class CecaModule(nn.Module):
    """timm CecaModule(channels=C): EcaModule's taps with the channels wrapped around, i.e. the
    descriptor padded circularly by (k - 1) / 2 on each side (F.pad mode 'circular'), then a
    Conv1d without padding; same k and the same tensor name conv.weight [1, 1, k]."""

    def __init__(self, channels):
        super().__init__()
        t = int(abs(math.log(channels, 2) + 1) / 2)
        k = max(t if t % 2 else t + 1, 3)
        self.padding = (k - 1) // 2
        self.conv = nn.Conv1d(1, 1, k, padding=0, bias=False)

    def forward(self, x):
        y = x.mean((2, 3)).view(x.shape[0], 1, -1)
        y = self.conv(F.pad(y, (self.padding, self.padding), mode='circular'))
        return x * torch.sigmoid(y).view(x.shape[0], -1, 1, 1)


class Gained(nn.Module):
    """NFNet applies attn_gain * attn_last(x): the block's output is scaled (gain 2)."""

    def __init__(self, module, gain):
        super().__init__()
        self.module, self.gain = module, gain

    def forward(self, x):
        return self.gain * self.module(x)


class ChannelAttn(nn.Module):
    """timm ChannelAttn: the same MLP on mean and amax, logits summed, sigmoid."""

    def __init__(self, channels, rd_channels, bias=False):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, rd_channels, 1, bias=bias)
        self.fc2 = nn.Conv2d(rd_channels, channels, 1, bias=bias)

    def forward(self, x):
        avg = self.fc2(F.relu(self.fc1(x.mean((2, 3), keepdim=True))))
        mx = self.fc2(F.relu(self.fc1(x.amax((2, 3), keepdim=True))))
        return x * torch.sigmoid(avg + mx)


class CbamModule(nn.Module):
    """timm CbamModule: channel then spatial attention (only the first is an SE block)."""

    def __init__(self, channels, bias=False):
        super().__init__()
        # make_divisible(C / 16, divisor 1, round_limit 0)
        self.channel = ChannelAttn(channels, max(1, int(channels / 16 + 0.5)), bias)
        self.spatial = nn.Module()
        self.spatial.conv = ConvNormAct(2, 1, 7)


class OsaBlock(nn.Module):
    """timm VovNet OsaBlock: conv_mid (layers), conv_concat, attn (last block of a stage)."""

    def __init__(self, cin, mid, cout, layers, attn):
        super().__init__()
        self.conv_mid = nn.Sequential(*[ConvNormAct(cin if i == 0 else mid, mid, 3) for i in range(layers)])
        self.conv_concat = ConvNormAct(cin + layers * mid, cout)
        if attn is not None:
            self.attn = attn(cout)


class HighPerfGpuBlock(nn.Module):
    """timm HGNet block with agg='ese': layers, aggregation = [ConvBNAct, EseModule]."""

    def __init__(self, cin, mid, cout, layers):
        super().__init__()
        self.layers = nn.ModuleList([ConvNormAct(cin if i == 0 else mid, mid, 3) for i in range(layers)])
        self.aggregation = nn.Sequential(ConvNormAct(cin + layers * mid, cout), EseModule(cout))


class Bottleneck(nn.Module):
    """timm ResNet Bottleneck: conv1..3, bn1..3, se (attn_layer) after bn3."""

    def __init__(self, cin, width, cout, attn):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width)
        self.conv2, self.bn2 = nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width)
        self.conv3, self.bn3 = nn.Conv2d(width, cout, 1, bias=False), nn.BatchNorm2d(cout)
        self.se = attn(cout)


class ScaledStdConv2d(nn.Conv2d):
    """timm NFNet convolution: weight, bias and a per-output gain [out, 1, 1, 1] (forward unused here)."""

    def __init__(self, cin, cout, k):
        super().__init__(cin, cout, k, padding=k // 2)
        self.gain = nn.Parameter(torch.ones(cout, 1, 1, 1))


class NormFreeBlock(nn.Module):
    """timm NormFreeBlock (ResNet style): conv1..3, attn_last (after conv3) on the output width."""

    def __init__(self, cin, mid, cout, attn):
        super().__init__()
        self.conv1, self.conv2 = ScaledStdConv2d(cin, mid, 1), ScaledStdConv2d(mid, mid, 3)
        self.conv3 = ScaledStdConv2d(mid, cout, 1)
        self.attn_last = attn(cout)


def with_head(model, stem_out, features, classes=10):
    """A stem conv and a Linear classifier, as every timm model has: tensors the importer must ignore."""
    model.stem = nn.Sequential(ConvNormAct(3, stem_out, 3))
    model.head = nn.Module()
    model.head.fc = nn.Linear(features, classes)
    return model


def vovnet():
    model = nn.Module()
    model.stages = nn.Sequential(*[nn.Module() for _ in range(2)])
    model.stages[0].blocks = nn.Sequential(OsaBlock(8, 4, 16, 2, None), OsaBlock(16, 4, 16, 2, EffectiveSEModule))
    model.stages[1].blocks = nn.Sequential(OsaBlock(16, 6, 24, 2, EffectiveSEModule))
    return with_head(model, 8, 24)


def hgnet():
    model = nn.Module()
    model.stages = nn.Sequential(*[nn.Module() for _ in range(2)])
    model.stages[0].blocks = nn.Sequential(HighPerfGpuBlock(8, 4, 16, 2))
    model.stages[1].blocks = nn.Sequential(HighPerfGpuBlock(16, 6, 24, 2), HighPerfGpuBlock(24, 6, 24, 2))
    return with_head(model, 8, 24)


def eca_resnet():
    model = nn.Module()
    model.conv1, model.bn1 = nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
    model.layer1 = nn.Sequential(Bottleneck(8, 4, 32, EcaModule), Bottleneck(32, 4, 32, EcaModule))
    model.layer2 = nn.Sequential(Bottleneck(32, 8, 128, EcaModule))
    model.fc = nn.Linear(128, 10)
    return model


def eca_vovnet():
    model = nn.Module()
    model.stages = nn.Sequential(nn.Module())
    model.stages[0].blocks = nn.Sequential(OsaBlock(8, 4, 16, 2, None), OsaBlock(16, 4, 64, 2, EcaModule))
    return with_head(model, 8, 64)


def eca_nfnet():
    model = nn.Module()
    model.stages = nn.Sequential(nn.Sequential(NormFreeBlock(8, 4, 16, EcaModule), NormFreeBlock(16, 4, 16, EcaModule)),
                                 nn.Sequential(NormFreeBlock(16, 8, 256, EcaModule)))
    model.stem = nn.Module()
    model.stem.conv1 = ScaledStdConv2d(3, 8, 3)
    model.head = nn.Module()
    model.head.fc = nn.Linear(256, 10)
    return model


def ceca_resnet():
    """A ResNet built with attn_layer='ceca': Bottleneck's se is a CecaModule (k 3 at 32, 5 at 128)."""
    model = nn.Module()
    model.conv1, model.bn1 = nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
    model.layer1 = nn.Sequential(Bottleneck(8, 4, 32, CecaModule))
    model.layer2 = nn.Sequential(Bottleneck(32, 8, 128, CecaModule))
    model.fc = nn.Linear(128, 10)
    return model


def cbam_resnet():
    model = nn.Module()
    model.conv1, model.bn1 = nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
    model.layer1 = nn.Sequential(Bottleneck(8, 4, 32, CbamModule), Bottleneck(32, 4, 32, CbamModule))
    model.layer2 = nn.Sequential(Bottleneck(32, 6, 48, CbamModule))
    model.fc = nn.Linear(48, 10)
    return model


# ---------------------------------------------------------------- writing


def randomise(model, generator):
    """Weights keep PyTorch's random init; biases and BatchNorm statistics get random values too."""
    def noise(t, around=0.0):
        t.copy_(around + 0.2 * torch.randn(t.shape, generator=generator))

    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                noise(module.weight, 1.0)
                noise(module.bias)
                noise(module.running_mean)
                module.running_var.copy_(1 + 0.2 * torch.rand(module.running_var.shape, generator=generator))
            elif isinstance(module, (nn.Conv2d, nn.Linear)) and module.bias is not None:
                noise(module.bias)


def float_state(model):
    return {name: t for name, t in model.state_dict().items() if t.is_floating_point()}


def write(name, preset, model, blocks, specs, seed, owned=''):
    """blocks: {prefix: the module whose forward is the SE block}; specs: {prefix: the spec se-core
    should import}; the block's tensors are those under `<prefix>.<owned>`."""
    generator = torch.Generator().manual_seed(seed)
    randomise(model, generator)
    state = float_state(model)
    claimed = set()
    expected = {}
    for prefix, module in blocks.items():
        claimed |= {n for n in state if n.startswith(f'{prefix}.{owned}')}
        channels = specs[prefix]['channels']
        x = torch.randn((N, channels, H, W), generator=generator) * 1.5
        with torch.no_grad():
            y = copy.deepcopy(module).double()(x.double())
        expected[f'x:{prefix}'] = ('F32', x.numpy())
        expected[f'y:{prefix}'] = ('F64', y.numpy())
    tensors = {n: ('F32', t.numpy()) for n, t in state.items()}
    with open(os.path.join(OUT_DIR, f'{name}.safetensors'), 'wb') as handle:
        handle.write(encode_safetensors(tensors, {}))
    with open(os.path.join(OUT_DIR, f'{name}.expected.safetensors'), 'wb') as handle:
        handle.write(encode_safetensors(expected, {}))
    ignored = sorted(n for n in state if n not in claimed)
    return {'name': name, 'file': f'{name}.safetensors', 'expected': f'{name}.expected.safetensors',
            'preset': preset, 'blocks': specs, 'ignored': ignored}


def spec(channels, excitation, gate, squeeze='avg', gain=1):
    return {'version': 2, 'channels': channels, 'squeeze': squeeze, 'excitation': excitation,
            'gate': gate, 'gain': gain}


def cases():
    vov = vovnet()
    ese_blocks = {'stages.0.blocks.1.attn': vov.stages[0].blocks[1].attn,
                  'stages.1.blocks.0.attn': vov.stages[1].blocks[0].attn}
    hg = hgnet()
    hg_blocks = {f'stages.{s}.blocks.{b}.aggregation.1': hg.stages[s].blocks[b].aggregation[1]
                 for s, b in [(0, 0), (1, 0), (1, 1)]}
    res = cbam_resnet()
    cbam_blocks = {'layer1.0.se': res.layer1[0].se, 'layer1.1.se': res.layer1[1].se, 'layer2.0.se': res.layer2[0].se}

    def ese_spec(module, gate):
        return spec(module.fc.out_channels if hasattr(module, 'fc') else module.conv.out_channels,
                    {'kind': 'ese', 'bias': True}, gate)

    def cbam_spec(module):
        fc1 = module.channel.fc1
        excitation = {'kind': 'cbam', 'reducedChannels': fc1.out_channels, 'activation': 'relu', 'bias': False}
        return spec(fc1.in_channels, excitation, SIGMOID, squeeze='avg+max')

    def eca_spec(module, gain=1):
        return spec(0, {'kind': 'eca', 'kernelSize': module.conv.kernel_size[0]}, SIGMOID, gain=gain)

    ecares = eca_resnet()
    ecares_blocks = {'layer1.0.se': ecares.layer1[0].se, 'layer1.1.se': ecares.layer1[1].se,
                     'layer2.0.se': ecares.layer2[0].se}
    ecavov = eca_vovnet()
    ecavov_blocks = {'stages.0.blocks.1.attn': ecavov.stages[0].blocks[1].attn}
    nf = eca_nfnet()
    nf_blocks = {'stages.0.0.attn_last': nf.stages[0][0].attn_last, 'stages.0.1.attn_last': nf.stages[0][1].attn_last,
                 'stages.1.0.attn_last': nf.stages[1][0].attn_last}
    # Built after the others, so their module init (the global seed) is what it was.
    cecares = ceca_resnet()
    cecares_blocks = {'layer1.0.se': cecares.layer1[0].se, 'layer2.0.se': cecares.layer2[0].se}

    def ceca_spec(module):
        return spec(0, {'kind': 'ceca', 'kernelSize': module.conv.kernel_size[0]}, SIGMOID)

    widths = {'layer1.0.se': 32, 'layer1.1.se': 32, 'layer2.0.se': 128, 'stages.0.blocks.1.attn': 64,
              'stages.0.0.attn_last': 16, 'stages.0.1.attn_last': 16, 'stages.1.0.attn_last': 256}

    def with_channels(specs):
        return {p: {**s, 'channels': widths[p]} for p, s in specs.items()}

    # The CbamModule's forward is channel then spatial; the SE block is the channel part.
    return [
        write('timm-ese-vovnet', 'timm-ese', vov, ese_blocks,
              {p: ese_spec(m, HARD_SIGMOID) for p, m in ese_blocks.items()}, seed=1911_06667),
        write('timm-hgnet', 'timm-hgnet', hg, hg_blocks,
              {p: ese_spec(m, SIGMOID) for p, m in hg_blocks.items()}, seed=2023),
        write('timm-cbam-resnet', 'timm-cbam', res, {p: m.channel for p, m in cbam_blocks.items()},
              {p: cbam_spec(m) for p, m in cbam_blocks.items()}, seed=1807_06521, owned='channel.'),
        write('timm-ecaresnet', 'timm-eca', ecares, ecares_blocks,
              with_channels({p: eca_spec(m) for p, m in ecares_blocks.items()}), seed=1910_03151),
        write('timm-eca-vovnet', 'timm-eca', ecavov, ecavov_blocks,
              with_channels({p: eca_spec(m) for p, m in ecavov_blocks.items()}), seed=1910),
        write('timm-eca-nfnet', 'timm-eca-nfnet', nf, {p: Gained(m, 2) for p, m in nf_blocks.items()},
              with_channels({p: eca_spec(m, gain=2) for p, m in nf_blocks.items()}), seed=2102_06171),
        write('timm-cecaresnet', 'timm-ceca', cecares, cecares_blocks,
              with_channels({p: ceca_spec(m) for p, m in cecares_blocks.items()}), seed=1910_0315),
    ]


def main():
    torch.manual_seed(0)  # module init
    os.makedirs(OUT_DIR, exist_ok=True)
    index = {
        'description': 'Importer fixtures of the excitation kinds other than mlp: state_dicts of small models with '
                       "timm's module names, and y = block(x) per attention block. Written by "
                       'scripts/make_kind_fixtures.py; do not edit by hand.',
        'source': f'torch {torch.__version__}, float64 forward of float32 weights and x',
        'inputShape': f'[{N}, C, {H}, {W}] NCHW; expected file tensors x:<prefix> (F32) and y:<prefix> (F64)',
        'cases': cases(),
    }
    with open(os.path.join(OUT_DIR, 'index.json'), 'w') as handle:
        json.dump(index, handle, indent=2)
        handle.write('\n')
    for c in index['cases']:
        sizes = [os.path.getsize(os.path.join(OUT_DIR, c[k])) for k in ('file', 'expected')]
        print(f"{c['name']:<20} {len(c['blocks'])} blocks, {len(c['ignored'])} other tensors, {sizes} bytes")


if __name__ == '__main__':
    main()
