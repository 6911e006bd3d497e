"""The golden cases make_golden.py writes: one entry per case, specs in se-core's
canonical version-2 form (key order and integer gain as canonicalSpecJSON
writes them, so the metadata strings are the ones TypeScript would write)."""

SIGMOID = {'type': 'sigmoid'}
HS_TORCH = {'type': 'hardsigmoid', 'alpha': 1 / 6, 'beta': 0.5}  # nn.Hardsigmoid, timm, Keras 3
HS_ONNX = {'type': 'hardsigmoid', 'alpha': 0.2, 'beta': 0.5}  # ONNX default, Keras 2, TF.js
KNEE_STEP = 2.0**-20  # exactly representable next to ±3 and ±2.5 in float32
HUGE = 3e38  # float32 holds it (max 3.4e38); two of them overflow a float32 sum


def _spec(channels, squeeze, excitation, gate, gain):
    return {'version': 2, 'channels': channels, 'squeeze': squeeze, 'excitation': excitation,
            'gate': gate, 'gain': gain}


def spec(channels, reduced, squeeze, activation, gate, bias, gain=1):
    """Kind mlp: the SE block of Hu et al. (all version-1 cases)."""
    mlp = {'kind': 'mlp', 'reducedChannels': reduced, 'activation': activation, 'bias': bias}
    return _spec(channels, squeeze, mlp, gate, gain)


def ese(channels, squeeze, gate, bias, gain=1):
    """Kind ese: one C×C layer (timm EffectiveSEModule)."""
    return _spec(channels, squeeze, {'kind': 'ese', 'bias': bias}, gate, gain)


def cbam(channels, reduced, activation, gate, bias, gain=1):
    """Kind cbam: the mlp on avg and on max, logits summed (timm ChannelAttn)."""
    mlp = {'kind': 'cbam', 'reducedChannels': reduced, 'activation': activation, 'bias': bias}
    return _spec(channels, 'avg+max', mlp, gate, gain)


def eca(channels, kernel_size, squeeze, gate, gain=1):
    """Kind eca: a k-tap convolution across channels (timm EcaModule)."""
    return _spec(channels, squeeze, {'kind': 'eca', 'kernelSize': kernel_size}, gate, gain)


def ceca(channels, kernel_size, squeeze, gate, gain=1):
    """Kind ceca: eca's taps with the channels wrapped around (timm CecaModule)."""
    return _spec(channels, squeeze, {'kind': 'ceca', 'kernelSize': kernel_size}, gate, gain)


def case(name, description, se, shape, layer='linear', x_scale=1.0, fc1_scale=1.0, fc2_scale=1.0, logits=None,
         exact=None, special=None, spikes=False):
    """fc1_scale widens the first layer's output (relu6 must clip, hardswish must bend), fc2_scale
    the logits; logits / exact: mlp logits to place on sample 0 (see make_weights); special: values
    put into x after it is drawn, as [(n, c, positions, value)] (NaN and huge-|x| cases); spikes:
    x is small and negative with one large value per plane (max far above avg)."""
    return dict(name=name, description=description, spec=se, shape=shape, layer=layer, x_scale=x_scale,
                fc1_scale=fc1_scale, fc2_scale=fc2_scale, logits=logits or [], exact=exact or [],
                special=special or [], spikes=spikes)


KNEES_TORCH = [-3.0, 3.0, -3 + KNEE_STEP, -3 - KNEE_STEP, 3 - KNEE_STEP, 3 + KNEE_STEP, -2.5, 2.5, 0.0]
KNEES_ONNX = [-2.5, 2.5, -2.5 + KNEE_STEP, -2.5 - KNEE_STEP, 2.5 - KNEE_STEP, 2.5 + KNEE_STEP, -3.0, 3.0, 0.0]
NEAR_TORCH = [-3.1, -3.01, -2.995, -2.99, -2.9, 2.9, 2.99, 2.999, 3.01, 3.1, -2.51, -2.49, 2.49, 2.51]
NEAR_ONNX = [-2.6, -2.51, -2.495, -2.49, -2.4, 2.4, 2.49, 2.499, 2.51, 2.6, -3.01, -2.99, 2.99, 3.01]
SATURATED_SIGMOID = [-700, -100, -60, -30, -12, -8, 8, 12, 30, 60, 100, 700]
SATURATED_HARD = [-1e3, -50, -10, -5, -3.5, -3.01, 3.01, 3.5, 5, 10, 50, 1e3]
NAN = float('nan')

MLP_CASES = [
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

# NaN and overflow (SPEC.md, "NaN and overflow"): PyTorch's semantics, checked
# against PyTorch's own float32 forward by make_golden.py.
SPECIAL_CASES = [
    case('avg-relu-sigmoid-bias-nan',
         'A NaN in one channel of sample 0: its mean is NaN, and the MLP spreads it to the whole sample; '
         'sample 1 stays finite.',
         spec(8, 2, 'avg', 'relu', SIGMOID, True), (2, 8, 3, 3), special=[(0, 5, [4], NAN)]),
    case('max-relu-sigmoid-bias-nan',
         'A NaN in one channel of sample 0 under max squeeze (torch amax propagates it; a `v > max` loop '
         'would skip it); sample 1 stays finite.',
         spec(8, 2, 'max', 'relu', SIGMOID, True), (2, 8, 3, 3), special=[(0, 2, [7], NAN)]),
    case('max-relu-hardsigmoid-torch-bias-huge',
         '|x| = 3e38 (near float32 max) in some channels, max squeeze: descriptors are huge but finite; '
         'fc1 is small so no float32 product overflows, the hard-sigmoid saturates.',
         spec(8, 2, 'max', 'relu', HS_TORCH, True), (2, 8, 3, 3), fc1_scale=0.002,
         special=[(0, 1, [0, 4], HUGE), (0, 6, range(9), -HUGE), (1, 3, [8], HUGE)]),
    case('ese-avg-sigmoid-bias-huge',
         'Four values of 3e38 in a channel of sample 0: the float32 sum overflows, so the mean is +Infinity '
         '(PyTorch sums float32 in float32) and every gate saturates; sample 1 holds one -3e38 (finite mean).',
         ese(8, 'avg', SIGMOID, True), (2, 8, 3, 3), special=[(0, 2, [0, 3, 5, 8], HUGE), (1, 6, [4], -HUGE)]),
]

ESE_CASES = [
    case('ese-avg-hardsigmoid-torch-bias', 'timm EffectiveSEModule (VoVNetV2): one C×C layer, hard_sigmoid 1/6.',
         ese(32, 'avg', HS_TORCH, True), (2, 32, 3, 3), layer='conv'),
    case('ese-avgmax-sigmoid-nobias-3x5', 'timm add_maxpool (0.5*avg + 0.5*max), no bias, non-square map.',
         ese(12, 'avgmax', SIGMOID, False), (2, 12, 3, 5)),
    case('ese-max-hardsigmoid-onnx-bias-gain2', 'Max squeeze, the 0.2/0.5 hard-sigmoid, gain 2.',
         ese(16, 'max', HS_ONNX, True, gain=2), (1, 16, 4, 4), layer='conv'),
]

CBAM_CASES = [
    case('cbam-relu-sigmoid-nobias', 'timm ChannelAttn defaults: ReLU, sigmoid, no bias, rd = C/16.',
         cbam(64, 4, 'relu', SIGMOID, False), (2, 64, 3, 3), layer='conv'),
    case('cbam-relu-sigmoid-bias-maxdominant',
         'Small negative planes with one spike each: the max descriptor dominates the avg one; '
         'with bias, b2 counts twice.',
         cbam(16, 4, 'relu', SIGMOID, True), (1, 16, 5, 5), fc1_scale=0.1, spikes=True),
    case('cbam-silu-hardsigmoid-torch-bias-gain2', 'SiLU, hard-sigmoid 1/6, gain 2, batch 3.',
         cbam(12, 4, 'silu', HS_TORCH, True, gain=2), (3, 12, 2, 3), fc1_scale=2),
]

ECA_CASES = [
    case('eca-avg-sigmoid-k3-c1', 'A single channel with timm\'s smallest kernel, k=3 > C=1: only the centre tap meets it.',
         eca(1, 3, 'avg', SIGMOID), (3, 1, 4, 4), layer='conv'),
    case('eca-avg-sigmoid-k1-c3', 'k=1: the excitation is elementwise, logits = w * d.',
         eca(3, 1, 'avg', SIGMOID), (2, 3, 3, 3), layer='conv'),
    case('eca-max-hardsigmoid-torch-k9-c3', 'k=9 on C=3: the outer taps only ever meet the zero padding.',
         eca(3, 9, 'max', HS_TORCH), (1, 3, 4, 4), layer='conv'),
    case('eca-avg-sigmoid-k7-c2048', 'C=2048 with its adaptive size, k=7 (ECA-Net and timm agree), on a 1x2 map.',
         eca(2048, 7, 'avg', SIGMOID), (1, 2048, 1, 2), layer='conv'),
    case('eca-avgmax-sigmoid-k5-gain2', 'avgmax squeeze, k=5, gain 2 (eca_nfnet: attn_gain 2).',
         eca(24, 5, 'avgmax', SIGMOID, gain=2), (2, 24, 3, 3), layer='conv'),
    case('eca-avg-sigmoid-k3-nan',
         'A NaN in channel 3 of sample 0: only channels 2, 3 and 4 (its k=3 neighbourhood) become NaN.',
         eca(8, 3, 'avg', SIGMOID), (2, 8, 3, 3), layer='conv', special=[(0, 3, [5], NAN)]),
    case('eca-avg-sigmoid-k3-huge',
         'Float32-sum overflow: channel 2 of sample 0 averages to +Infinity, channel 5 to -Infinity; their '
         'neighbours saturate, the other channels stay finite.',
         eca(8, 3, 'avg', SIGMOID), (2, 8, 3, 3), layer='conv',
         special=[(0, 2, [0, 4, 8], HUGE), (0, 5, [1, 2, 6], -HUGE), (1, 0, [3], HUGE)]),
]

CECA_CASES = [
    case('ceca-avg-sigmoid-k3-c1', 'A single channel, k=3: wrapped around, all three taps meet channel 0.',
         ceca(1, 3, 'avg', SIGMOID), (3, 1, 4, 4), layer='conv'),
    case('ceca-max-hardsigmoid-torch-k7-c3',
         'k=7 on C=3, padding 3 = C (the most PyTorch wraps): every tap meets a channel, each twice or more.',
         ceca(3, 7, 'max', HS_TORCH), (2, 3, 4, 4), layer='conv'),
    case('ceca-avg-sigmoid-k7-c2048', 'C=2048 with its adaptive size, k=7 (ECA-Net and timm agree), on a 1x2 map.',
         ceca(2048, 7, 'avg', SIGMOID), (1, 2048, 1, 2), layer='conv'),
    case('ceca-avgmax-sigmoid-k5-gain2', 'avgmax squeeze, k=5, gain 2.',
         ceca(24, 5, 'avgmax', SIGMOID, gain=2), (2, 24, 3, 3), layer='conv'),
    case('ceca-avg-sigmoid-k3-nan',
         'A NaN in channel 0 of sample 0: channels 7, 0 and 1 (its k=3 neighbourhood, wrapped) become NaN.',
         ceca(8, 3, 'avg', SIGMOID), (2, 8, 3, 3), layer='conv', special=[(0, 0, [5], NAN)]),
    case('ceca-avg-sigmoid-k3-huge',
         'Float32-sum overflow: channel 7 of sample 0 averages to +Infinity, channel 3 to -Infinity; their '
         'neighbours (channel 0 wrapped around) saturate, the other channels stay finite.',
         ceca(8, 3, 'avg', SIGMOID), (2, 8, 3, 3), layer='conv',
         special=[(0, 7, [0, 4, 8], HUGE), (0, 3, [1, 2, 6], -HUGE), (1, 0, [3], HUGE)]),
]

CASES = MLP_CASES + SPECIAL_CASES + ESE_CASES + CBAM_CASES + ECA_CASES + CECA_CASES
