#!/usr/bin/python3
"""Writes the importer fixtures in packages/se-core/test/fixtures/import/.

Each fixture is a complete, uncast state_dict of a small network in one
codebase's naming convention: every parameter and buffer exactly as
`model.state_dict()` holds it, so BatchNorm's int64 `num_batches_tracked`
(safetensors I64) and every non-SE layer are there, as in a real checkpoint.
Networks are reduced in width (and depth) so each file stays small; the
partner file holds the expected output of every SE block, computed by PyTorch
in float64 on a fixed input. The TypeScript tests check importer ->
seReference == PyTorch, so the importer is judged against the modules that
define each convention, not against itself, and on the whole file a user
would give it.

Where a codebase is not installed here (timm, Cadene's pretrainedmodels,
moskomule's senet.pytorch), the network is rebuilt from small modules under
exactly the state_dict names that codebase produces. Keras weights carry no
integer tensors and Keras is not installed: the two Keras fixtures hold SE
tensors plus a few other layers under Keras names, all float32; so does the
Caffe one (Caffe blobs are float).

Run with Debian's python3-torch 1.13 and python3-torchvision 0.14:

    /usr/bin/python3 packages/se-core/scripts/make_import_fixtures.py

CI never runs this: the outputs are committed. There is no `safetensors` Python
package here, so the container is written by hand (see write_safetensors).
"""

import copy
import json
import os
import re
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import mobilenet_v3_small
from torchvision.models.efficientnet import EfficientNet, _efficientnet_conf

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "import")
# Input of every block: batch 2 (checks the importer keeps samples apart) and a
# small non-square map; small so the fixtures stay well under a megabyte.
N, H, W = 2, 3, 2
# A fixture file larger than this fails the script: the repository keeps fixtures small.
MAX_FIXTURE_BYTES = 300 * 1024

# Every dtype a state_dict of these networks holds, as safetensors names it.
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def write_safetensors(path, tensors, metadata=None):
    """8-byte LE header length, JSON header padded with spaces to 8 bytes, raw LE data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        dtype = DTYPES[t.dtype]
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)
    size = os.path.getsize(path)
    assert size <= MAX_FIXTURE_BYTES, f"{path} is {size} bytes, over {MAX_FIXTURE_BYTES}: reduce the network"


def natural_key(name):
    """se-core's compareNatural (src/import/natural-order.ts): digit runs compare as numbers."""
    parts = re.split(r"(\d+)", name)
    return [(int(p), len(p)) if i % 2 else p for i, p in enumerate(parts)]


def perturb_biases(module, generator):
    # torchvision initialises conv biases to zero; random biases make the test
    # notice a bias that is dropped or swapped between fc1 and fc2.
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=generator) * 0.5)


def perturb_batchnorm(model, generator):
    # Fresh BatchNorm stats are zeros and ones; a trained checkpoint's are not,
    # and its counters are not zero either. Nothing reads them but the realism.
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=generator) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=generator) + 0.5)
                m.num_batches_tracked.fill_(1234)


def named(**children):
    """An nn.Module holding `children` under these names (their state_dict prefixes)."""
    module = nn.Module()
    for name, child in children.items():
        module.add_module(name, child)
    return module


def conv(cin, cout, k=1, groups=1, bias=False):
    return nn.Conv2d(cin, cout, k, padding=k // 2, groups=groups, bias=bias)


# --- hand-built modules, copied from the code that defines each convention ---


def make_divisible(v, divisor=8, min_value=None, round_limit=0.9):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < round_limit * v:
        new_v += divisor
    return new_v


class TimmSEModule(nn.Module):
    """timm.layers.squeeze_excite.SEModule (bias=True, no norm layer)."""

    def __init__(self, channels, add_maxpool=False):
        super().__init__()
        self.add_maxpool = add_maxpool
        rd = make_divisible(channels / 16, 8, round_limit=0.0)
        self.fc1 = nn.Conv2d(channels, rd, kernel_size=1, bias=True)
        self.fc2 = nn.Conv2d(rd, channels, kernel_size=1, bias=True)

    def forward(self, x):
        x_se = x.mean((2, 3), keepdim=True)
        if self.add_maxpool:
            x_se = 0.5 * x_se + 0.5 * x.amax((2, 3), keepdim=True)
        x_se = self.fc2(F.relu(self.fc1(x_se)))
        return x * torch.sigmoid(x_se)


class CadeneSEModule(nn.Module):
    """pretrainedmodels.models.senet.SEModule (also the official Caffe block)."""

    def __init__(self, channels, reduction=16):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, channels // reduction, kernel_size=1, padding=0)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(channels // reduction, channels, kernel_size=1, padding=0)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        s = self.sigmoid(self.fc2(self.relu(self.fc1(self.avg_pool(x)))))
        return x * s


class MoskomuleSELayer(nn.Module):
    """moskomule/senet.pytorch senet/se_module.py SELayer: Linear layers, no bias."""

    def __init__(self, channel, reduction=16):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(
            nn.Linear(channel, channel // reduction, bias=False),
            nn.ReLU(inplace=True),
            nn.Linear(channel // reduction, channel, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.avg_pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y.expand_as(x)


class TimmSqueezeExcite(nn.Module):
    """timm.models._efficientnet_blocks.SqueezeExcite (EfficientNet, MobileNetV3)."""

    def __init__(self, in_chs, rd_channels, act, gate):
        super().__init__()
        self.conv_reduce = nn.Conv2d(in_chs, rd_channels, 1, bias=True)
        self.act1 = act
        self.conv_expand = nn.Conv2d(rd_channels, in_chs, 1, bias=True)
        self.gate = gate

    def forward(self, x):
        x_se = x.mean((2, 3), keepdim=True)
        x_se = self.conv_expand(self.act1(self.conv_reduce(x_se)))
        return x * self.gate(x_se)


def timm_hard_sigmoid(x):
    # timm.layers.activations.hard_sigmoid: relu6(x + 3) / 6.
    return F.relu6(x + 3.0) / 6.0


# --- networks under each codebase's state_dict names ---


def bottleneck(inplanes, planes, groups, base_width, se_name, se):
    """timm Bottleneck / Cadene SEResNeXtBottleneck: 1x1, grouped 3x3, 1x1, SE, projection."""
    width = (planes * base_width // 64) * groups
    out = planes * 4
    children = dict(
        conv1=conv(inplanes, width), bn1=nn.BatchNorm2d(width),
        conv2=conv(width, width, 3, groups=groups), bn2=nn.BatchNorm2d(width),
        conv3=conv(width, out), bn3=nn.BatchNorm2d(out),
    )
    children[se_name] = se
    if inplanes != out:
        children["downsample"] = nn.Sequential(conv(inplanes, out), nn.BatchNorm2d(out))
    return named(**children), out


def se_resnext(stages, se_factory, se_name, stem=None, head="fc", stem_width=16, groups=4, base_width=4):
    """A one-block-per-stage SE-ResNeXt: names as timm (stem=None) or Cadene (stem='layer0')."""
    root = nn.Module()
    stem_layers = named(conv1=conv(3, stem_width, 7), bn1=nn.BatchNorm2d(stem_width))
    if stem is None:
        for name, child in stem_layers.named_children():
            root.add_module(name, child)
    else:
        root.add_module(stem, stem_layers)
    inplanes = stem_width
    se_modules = {}
    for i, planes in enumerate(stages):
        se = se_factory(planes * 4)
        block, inplanes = bottleneck(inplanes, planes, groups, base_width, se_name, se)
        root.add_module(f"layer{i + 1}", nn.Sequential(block))
        se_modules[f"layer{i + 1}.0.{se_name}"] = se
    root.add_module(head, nn.Linear(inplanes, 10))
    return root, se_modules


def se_resnet_basic(widths, reduction=16):
    """moskomule senet.pytorch se_resnet: torchvision ResNet names, SEBasicBlock with `se`."""
    root = named(conv1=conv(3, widths[0], 7), bn1=nn.BatchNorm2d(widths[0]))
    inplanes = widths[0]
    se_modules = {}
    for i, planes in enumerate(widths):
        se = MoskomuleSELayer(planes, reduction)
        children = dict(
            conv1=conv(inplanes, planes, 3), bn1=nn.BatchNorm2d(planes),
            conv2=conv(planes, planes, 3), bn2=nn.BatchNorm2d(planes), se=se,
        )
        if inplanes != planes:
            children["downsample"] = nn.Sequential(conv(inplanes, planes), nn.BatchNorm2d(planes))
        root.add_module(f"layer{i + 1}", nn.Sequential(named(**children)))
        se_modules[f"layer{i + 1}.0.se"] = se
        inplanes = planes
    root.add_module("fc", nn.Linear(inplanes, 10))
    return root, se_modules


def timm_ds_block(chs, out, se):
    """timm DepthwiseSeparableConv: conv_dw, bn1, se, conv_pw, bn2."""
    return named(conv_dw=conv(chs, chs, 3, groups=chs), bn1=nn.BatchNorm2d(chs), se=se,
                 conv_pw=conv(chs, out), bn2=nn.BatchNorm2d(out))


def timm_ir_block(cin, mid, out, k, se=None):
    """timm InvertedResidual: conv_pw, bn1, conv_dw, bn2, se, conv_pwl, bn3."""
    children = dict(conv_pw=conv(cin, mid), bn1=nn.BatchNorm2d(mid),
                    conv_dw=conv(mid, mid, k, groups=mid), bn2=nn.BatchNorm2d(mid))
    if se is not None:
        children["se"] = se
    children.update(conv_pwl=conv(mid, out), bn3=nn.BatchNorm2d(out))
    return named(**children)


def timm_efficientnet_b0_head(act, gate):
    """timm efficientnet_b0's stem and first three blocks (real widths), a narrow head."""
    se = [TimmSqueezeExcite(32, 8, act, gate), TimmSqueezeExcite(96, 4, act, gate),
          TimmSqueezeExcite(144, 6, act, gate)]
    model = named(
        conv_stem=conv(3, 32, 3), bn1=nn.BatchNorm2d(32),
        blocks=nn.Sequential(
            nn.Sequential(timm_ds_block(32, 16, se[0])),
            nn.Sequential(timm_ir_block(16, 96, 24, 3, se[1]), timm_ir_block(24, 144, 24, 3, se[2])),
        ),
        conv_head=conv(24, 64), bn2=nn.BatchNorm2d(64), classifier=nn.Linear(64, 10),
    )
    return model, {"blocks.0.0.se": se[0], "blocks.1.0.se": se[1], "blocks.1.1.se": se[2]}


def timm_mobilenetv3_small_head():
    """timm mobilenetv3_small_100's stem and first three stages (real widths), a narrow head."""
    act, gate = nn.ReLU(), timm_hard_sigmoid
    # rd = make_divisible(chs * 0.25, 8), timm's round_chs_fn for MobileNetV3.
    se = [TimmSqueezeExcite(16, 8, act, gate), TimmSqueezeExcite(96, 24, act, gate)]
    model = named(
        conv_stem=conv(3, 16, 3), bn1=nn.BatchNorm2d(16),
        blocks=nn.Sequential(
            nn.Sequential(timm_ds_block(16, 16, se[0])),
            nn.Sequential(timm_ir_block(16, 72, 24, 3)),
            nn.Sequential(timm_ir_block(24, 96, 40, 5, se[1])),
            nn.Sequential(named(conv=conv(40, 96), bn1=nn.BatchNorm2d(96))),
        ),
        conv_head=conv(96, 128, bias=True), classifier=nn.Linear(128, 10),
    )
    return model, {"blocks.0.0.se": se[0], "blocks.2.0.se": se[1]}


# --- fixture writers ---

CASES = []


def block_info(module):
    """(C, reducedChannels, bias) of any SE module above."""
    layers = [m for m in module.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    first = layers[0]
    c = first.in_channels if isinstance(first, nn.Conv2d) else first.in_features
    rd = first.out_channels if isinstance(first, nn.Conv2d) else first.out_features
    return c, rd, first.bias is not None


def add_case(name, preset, se_modules, tensors, se_names, squeeze=None, note=""):
    """se_modules: prefix -> SE module; tensors: the whole file; se_names: its SE tensors."""
    generator = torch.Generator().manual_seed(len(CASES) + 1000)
    expected = {}
    blocks = {}
    for prefix, module in se_modules.items():
        channels, rd, bias = block_info(module)
        x = torch.randn((N, channels, H, W), generator=generator, dtype=torch.float32) * 1.5
        with torch.no_grad():
            # A float64 copy: the module itself (and so the file) stays as stored.
            y = copy.deepcopy(module).double()(x.double())
        expected[f"x:{prefix}"] = x
        expected[f"y:{prefix}"] = y
        blocks[prefix] = {"channels": channels, "reducedChannels": rd, "bias": bias}
    assert se_names <= set(tensors), sorted(se_names - set(tensors))
    weights_file = f"{name}.safetensors"
    expected_file = f"{name}.expected.safetensors"
    write_safetensors(os.path.join(OUT_DIR, weights_file), tensors)
    write_safetensors(os.path.join(OUT_DIR, expected_file), expected)
    CASES.append(
        {
            "name": name,
            "file": weights_file,
            "expected": expected_file,
            "preset": preset,
            **({"squeeze": squeeze} if squeeze else {}),
            "blocks": blocks,
            "ignored": sorted(set(tensors) - se_names, key=natural_key),
            "dtypes": sorted({DTYPES[t.dtype] for t in tensors.values()}),
            **({"note": note} if note else {}),
        }
    )


def state_dict_case(name, preset, model, se_modules, seed, squeeze=None, note=""):
    """A case whose file is the model's whole, uncast state_dict."""
    generator = torch.Generator().manual_seed(seed)
    for module in se_modules.values():
        perturb_biases(module, generator)
    perturb_batchnorm(model, generator)
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    se_names = {f"{prefix}.{k}" for prefix, m in se_modules.items() for k in m.state_dict()}
    add_case(name, preset, se_modules, tensors, se_names, squeeze=squeeze, note=note)


def se_modules_of(model, cls):
    return {name: m for name, m in model.named_modules() if isinstance(m, cls)}


def torchvision_mobilenetv3():
    torch.manual_seed(1)
    model = mobilenet_v3_small(weights=None, width_mult=0.15, num_classes=10)
    state_dict_case("torchvision-mobilenetv3", "torchvision-mobilenetv3", model,
                    se_modules_of(model, torchvision.ops.misc.SqueezeExcitation), 11,
                    note="mobilenet_v3_small(weights=None, width_mult=0.15, num_classes=10): the whole state_dict, uncast")


def torchvision_efficientnet():
    torch.manual_seed(2)
    settings, last_channel = _efficientnet_conf("efficientnet_b0", width_mult=0.15, depth_mult=0.2)
    model = EfficientNet(settings, 0.2, num_classes=10, last_channel=last_channel)
    se_modules = se_modules_of(model, torchvision.ops.misc.SqueezeExcitation)
    state_dict_case("torchvision-efficientnet", "torchvision-efficientnet", model, se_modules, 12,
                    note="torchvision EfficientNet with _efficientnet_conf('efficientnet_b0', width_mult=0.15, depth_mult=0.2), num_classes=10: the whole state_dict, uncast")
    return se_modules


def keras_se_tensors(reduce, expand, module):
    """A torchvision SqueezeExcitation's tensors as Keras Conv2D layers `reduce` and `expand` (kernels HWIO)."""
    return {
        f"{reduce}/kernel": module.fc1.weight.detach().permute(2, 3, 1, 0),
        f"{reduce}/bias": module.fc1.bias.detach(),
        f"{expand}/kernel": module.fc2.weight.detach().permute(2, 3, 1, 0),
        f"{expand}/bias": module.fc2.bias.detach(),
    }


def keras_efficientnet(tv_modules):
    # The first three SE blocks of the torchvision network, stored under Keras
    # EfficientNet names, kernels transposed to HWIO as Keras Conv2D stores them.
    keras_names = ["block1a", "block2a", "block2b"]
    se_modules = {}
    tensors = {}
    for keras_prefix, module in zip(keras_names, list(tv_modules.values())[:3]):
        se_modules[keras_prefix] = module
        tensors.update(keras_se_tensors(f"{keras_prefix}_se_reduce", f"{keras_prefix}_se_expand", module))
    se_names = set(tensors)
    generator = torch.Generator().manual_seed(13)
    c = se_modules["block1a"].fc1.in_channels
    tensors["stem_conv/kernel"] = torch.randn((3, 3, 3, c), generator=generator)
    for stat in ["gamma", "beta", "moving_mean", "moving_variance"]:
        tensors[f"block1a_bn/{stat}"] = torch.rand(c, generator=generator)
    add_case("keras-efficientnet", "keras-efficientnet", se_modules, tensors, se_names,
             note="torchvision EfficientNet SE weights under Keras EfficientNetB0 names, kernels HWIO, float32 as Keras stores them")


def keras_mobilenetv3():
    # keras.applications MobileNetV3 _se_block: Conv2D 'squeeze_excite/Conv' and
    # 'squeeze_excite/Conv_1' with bias, ReLU, hard_sigmoid = relu6(x + 3) / 6.
    torch.manual_seed(3)
    generator = torch.Generator().manual_seed(14)
    se_modules = {}
    tensors = {}
    for prefix, c, rd in [("expanded_conv", 8, 8), ("expanded_conv_3", 48, 16)]:
        se = torchvision.ops.misc.SqueezeExcitation(c, rd, scale_activation=nn.Hardsigmoid)
        perturb_biases(se, generator)
        se_modules[prefix] = se
        tensors.update(keras_se_tensors(f"{prefix}/squeeze_excite/Conv", f"{prefix}/squeeze_excite/Conv_1", se))
    se_names = set(tensors)
    tensors["expanded_conv/depthwise/depthwise_kernel"] = torch.randn((3, 3, 8, 1), generator=generator)
    tensors["Conv/kernel"] = torch.randn((3, 3, 3, 8), generator=generator)
    for stat in ["gamma", "beta", "moving_mean", "moving_variance"]:
        tensors[f"Conv/BatchNorm/{stat}"] = torch.rand(8, generator=generator)
    add_case("keras-mobilenetv3", "keras-mobilenetv3", se_modules, tensors, se_names,
             note="Keras MobileNetV3 names, kernels HWIO, gate relu6(x + 3) / 6, float32 as Keras stores them")


def timm_seresnet(add_maxpool):
    torch.manual_seed(4)
    # Stage widths 64, 128, 256: 256 gives the only rd (16) above make_divisible's floor of 8.
    stages = [16, 32] if add_maxpool else [16, 32, 64]
    model, se_modules = se_resnext(stages, lambda c: TimmSEModule(c, add_maxpool=add_maxpool), "se")
    if add_maxpool:
        state_dict_case("timm-seresnet-avgmax", "timm-seresnet", model, se_modules, 15, squeeze="avgmax",
                        note="timm SEModule(add_maxpool=True) in a timm-named SE-ResNeXt: the caller overrides the preset's squeeze")
    else:
        state_dict_case("timm-seresnet", "timm-seresnet", model, se_modules, 15,
                        note="timm SEModule in a small SE-ResNeXt under timm's ResNet state_dict names, uncast")


def cadene_senet():
    torch.manual_seed(5)
    model, se_modules = se_resnext([16, 32], CadeneSEModule, "se_module", stem="layer0", head="last_linear")
    state_dict_case("cadene-senet", "cadene-senet", model, se_modules, 16,
                    note="Cadene pretrainedmodels SEModule in a small SE-ResNeXt under senet.py's state_dict names, uncast")


def caffe_senet():
    # Official SENet Caffe prototxt: conv2_1_1x1_down / conv2_1_1x1_up (Convolution
    # with bias), blobs exported as <layer>.weight / <layer>.bias (float32: Caffe has no other).
    torch.manual_seed(6)
    generator = torch.Generator().manual_seed(17)
    se_modules = {}
    tensors = {}
    for prefix, c in [("conv2_1", 64), ("conv3_2", 128)]:
        se = CadeneSEModule(c)
        perturb_biases(se, generator)
        se_modules[prefix] = se
        tensors[f"{prefix}_1x1_down.weight"] = se.fc1.weight.detach()
        tensors[f"{prefix}_1x1_down.bias"] = se.fc1.bias.detach()
        tensors[f"{prefix}_1x1_up.weight"] = se.fc2.weight.detach()
        tensors[f"{prefix}_1x1_up.bias"] = se.fc2.bias.detach()
    se_names = set(tensors)
    tensors["conv2_1_1x1_reduce.weight"] = torch.randn((4, 8, 1, 1), generator=generator)
    tensors["conv2_1_3x3.weight"] = torch.randn((4, 4, 3, 3), generator=generator)
    add_case("caffe-senet", "caffe-senet", se_modules, tensors, se_names, note="official SENet Caffe layer names")


def moskomule():
    torch.manual_seed(7)
    model, se_modules = se_resnet_basic([32, 48])
    state_dict_case("moskomule", "moskomule", model, se_modules, 18,
                    note="moskomule senet.pytorch SELayer (no bias) in a small SE-ResNet under its state_dict names, uncast")


def timm_case(name, seed, build, note):
    torch.manual_seed(seed)
    model, se_modules = build()
    state_dict_case(name, name, model, se_modules, seed + 100, note=note)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for old in os.listdir(OUT_DIR):
        if old.endswith(".safetensors") or old == "index.json":
            os.remove(os.path.join(OUT_DIR, old))
    tv_eff = torchvision_efficientnet()
    torchvision_mobilenetv3()
    keras_efficientnet(tv_eff)
    keras_mobilenetv3()
    timm_seresnet(add_maxpool=False)
    timm_seresnet(add_maxpool=True)
    cadene_senet()
    caffe_senet()
    moskomule()
    timm_case("timm-efficientnet", 8, lambda: timm_efficientnet_b0_head(nn.SiLU(), nn.Sigmoid()),
              "timm efficientnet_b0's stem and first three blocks under timm's names, narrow head, uncast")
    timm_case("timm-mobilenetv3", 9, timm_mobilenetv3_small_head,
              "timm mobilenetv3_small_100's stem and first three stages under timm's names, narrow head, uncast")
    index = {
        "description": "Importer fixtures: a whole uncast state_dict (or Keras weights) in one naming convention each, "
        "and y = block(x) per SE block. Written by scripts/make_import_fixtures.py; do not edit by hand.",
        "source": f"torch {torch.__version__} / torchvision {torchvision.__version__}, float64 forward of float32 weights and x",
        "inputShape": "[2, C, 3, 2] NCHW; expected file tensors x:<prefix> (F32) and y:<prefix> (F64)",
        "cases": CASES,
    }
    with open(os.path.join(OUT_DIR, "index.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    sizes = {p: os.path.getsize(os.path.join(OUT_DIR, p)) for p in sorted(os.listdir(OUT_DIR))}
    for path, size in sizes.items():
        print(f"{size:8d}  {path}")
    print(f"wrote {len(CASES)} cases to {OUT_DIR} ({sum(sizes.values())} bytes)")


if __name__ == "__main__":
    main()
