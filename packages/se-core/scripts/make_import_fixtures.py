#!/usr/bin/python3
"""Writes the importer fixtures in packages/se-core/test/fixtures/import/.

Each fixture is a small, real state_dict (or Keras weight map) in one naming
convention, holding only SE tensors plus a couple of non-SE tensors that the
importer must ignore, and a partner file with the expected output of every SE
block, computed by PyTorch in float64 on a fixed input. The TypeScript test
checks importer -> seReference == PyTorch, so the importer is judged against the
modules that define each convention, not against itself.

Run with Debian's python3-torch 1.13 and python3-torchvision 0.14:

    /usr/bin/python3 packages/se-core/scripts/make_import_fixtures.py

CI never runs this: the outputs are committed. There is no `safetensors` Python
package here, so the container is written by hand (see write_safetensors).
"""

import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import efficientnet_b0, mobilenet_v3_small

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "import")
# Input of every block: batch 2 (checks the importer keeps samples apart) and a
# small non-square map; small so the fixtures stay well under a megabyte.
N, H, W = 2, 3, 2

DTYPES = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8")}


def write_safetensors(path, tensors, metadata=None):
    """8-byte LE header length, JSON header padded with spaces to 8 bytes, raw LE data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        dtype, np_dtype = DTYPES[t.dtype]
        data = t.numpy().astype(np_dtype).tobytes()
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


def perturb_biases(module, generator):
    # torchvision initialises conv biases to zero; random biases make the test
    # notice a bias that is dropped or swapped between fc1 and fc2.
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=generator) * 0.5)


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


# --- fixture writers ---

CASES = []


def add_case(name, preset, modules, state_dict, non_se, squeeze=None, note=""):
    """modules: prefix -> (module, C); state_dict: the tensors to store (SE + non-SE)."""
    generator = torch.Generator().manual_seed(len(CASES) + 1000)
    expected = {}
    blocks = {}
    for prefix, (module, channels, rd, bias) in modules.items():
        x = torch.randn((N, channels, H, W), generator=generator, dtype=torch.float32) * 1.5
        with torch.no_grad():
            y = module.double()(x.double())
        expected[f"x:{prefix}"] = x
        expected[f"y:{prefix}"] = y
        blocks[prefix] = {"channels": channels, "reducedChannels": rd, "bias": bias}
    tensors = {k: v.float() for k, v in state_dict.items()}
    for k in non_se:
        assert k in tensors, k
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
            "ignored": sorted(non_se),
            **({"note": note} if note else {}),
        }
    )


def se_tensors(prefix, module):
    return {f"{prefix}.{k}": v for k, v in module.state_dict().items()}


def torchvision_mobilenetv3():
    torch.manual_seed(1)
    model = mobilenet_v3_small(weights=None, width_mult=0.35)
    generator = torch.Generator().manual_seed(11)
    modules = {}
    tensors = {}
    for name, module in model.named_modules():
        if isinstance(module, torchvision.ops.misc.SqueezeExcitation):
            perturb_biases(module, generator)
            c, rd = module.fc1.in_channels, module.fc1.out_channels
            modules[name] = (module, c, rd, True)
            tensors.update(se_tensors(name, module))
    sd = model.state_dict()
    non_se = ["features.0.0.weight", "classifier.3.bias"]
    tensors.update({k: sd[k] for k in non_se})
    add_case("torchvision-mobilenetv3", "torchvision-mobilenetv3", modules, tensors, non_se,
             note="mobilenet_v3_small(weights=None, width_mult=0.35), every SE block, random biases")


def torchvision_efficientnet(keep=4):
    torch.manual_seed(2)
    model = efficientnet_b0(weights=None)
    generator = torch.Generator().manual_seed(12)
    modules = {}
    tensors = {}
    for name, module in model.named_modules():
        if isinstance(module, torchvision.ops.misc.SqueezeExcitation) and len(modules) < keep:
            perturb_biases(module, generator)
            c, rd = module.fc1.in_channels, module.fc1.out_channels
            modules[name] = (module, c, rd, True)
            tensors.update(se_tensors(name, module))
    sd = model.state_dict()
    non_se = ["features.0.1.weight", "features.1.0.block.0.1.bias"]
    tensors.update({k: sd[k] for k in non_se})
    add_case("torchvision-efficientnet", "torchvision-efficientnet", modules, tensors, non_se,
             note=f"efficientnet_b0(weights=None), first {keep} SE blocks (the whole model is 2.5 MB), random biases")
    return modules


def keras_efficientnet(tv_modules):
    # Keras EfficientNetB0 block1a, block2a, block2b have the same SE shapes as
    # torchvision's first three blocks; store those weights under Keras names,
    # transposed to HWIO the way Keras Conv2D stores kernels.
    keras_names = ["block1a", "block2a", "block2b"]
    modules = {}
    tensors = {}
    for keras_prefix, (module, c, rd, _) in zip(keras_names, list(tv_modules.values())[:3]):
        modules[keras_prefix] = (module, c, rd, True)
        tensors[f"{keras_prefix}_se_reduce/kernel"] = module.fc1.weight.permute(2, 3, 1, 0)
        tensors[f"{keras_prefix}_se_reduce/bias"] = module.fc1.bias
        tensors[f"{keras_prefix}_se_expand/kernel"] = module.fc2.weight.permute(2, 3, 1, 0)
        tensors[f"{keras_prefix}_se_expand/bias"] = module.fc2.bias
    generator = torch.Generator().manual_seed(13)
    non_se = ["stem_conv/kernel", "block1a_bn/gamma"]
    tensors["stem_conv/kernel"] = torch.randn((3, 3, 3, 32), generator=generator)
    tensors["block1a_bn/gamma"] = torch.ones(32)
    add_case("keras-efficientnet", "keras-efficientnet", modules, tensors, non_se,
             note="torchvision efficientnet_b0 SE weights under Keras EfficientNetB0 names, kernels HWIO")


def keras_mobilenetv3():
    # keras.applications MobileNetV3 _se_block: Conv2D 'squeeze_excite/Conv' and
    # 'squeeze_excite/Conv_1' with bias, ReLU, hard_sigmoid = relu6(x + 3) / 6.
    torch.manual_seed(3)
    generator = torch.Generator().manual_seed(14)
    modules = {}
    tensors = {}
    for prefix, c, rd in [("expanded_conv", 8, 8), ("expanded_conv_3", 48, 16)]:
        se = torchvision.ops.misc.SqueezeExcitation(c, rd, scale_activation=nn.Hardsigmoid)
        perturb_biases(se, generator)
        modules[prefix] = (se, c, rd, True)
        tensors[f"{prefix}/squeeze_excite/Conv/kernel"] = se.fc1.weight.permute(2, 3, 1, 0)
        tensors[f"{prefix}/squeeze_excite/Conv/bias"] = se.fc1.bias
        tensors[f"{prefix}/squeeze_excite/Conv_1/kernel"] = se.fc2.weight.permute(2, 3, 1, 0)
        tensors[f"{prefix}/squeeze_excite/Conv_1/bias"] = se.fc2.bias
    non_se = ["expanded_conv/depthwise/depthwise_kernel", "Conv/kernel"]
    tensors[non_se[0]] = torch.randn((3, 3, 8, 1), generator=generator)
    tensors[non_se[1]] = torch.randn((3, 3, 3, 8), generator=generator)
    add_case("keras-mobilenetv3", "keras-mobilenetv3", modules, tensors, non_se,
             note="Keras MobileNetV3 names, kernels HWIO, gate relu6(x + 3) / 6")


def timm_seresnet(add_maxpool):
    torch.manual_seed(4)
    generator = torch.Generator().manual_seed(15)
    modules = {}
    tensors = {}
    # 256 channels gives the only rd (16) above make_divisible's floor of 8.
    layers = [("layer1.0.se", 64), ("layer2.0.se", 128)] + ([] if add_maxpool else [("layer3.1.se", 256)])
    for prefix, c in layers:
        se = TimmSEModule(c, add_maxpool=add_maxpool)
        perturb_biases(se, generator)
        modules[prefix] = (se, c, se.fc1.out_channels, True)
        tensors.update(se_tensors(prefix, se))
    non_se = ["layer1.0.conv1.weight", "fc.weight"]
    tensors["layer1.0.conv1.weight"] = torch.randn((16, 8, 1, 1), generator=generator)
    tensors["fc.weight"] = torch.randn((10, 256), generator=generator)
    if add_maxpool:
        add_case("timm-seresnet-avgmax", "timm-seresnet", modules, tensors, non_se, squeeze="avgmax",
                 note="timm SEModule(add_maxpool=True): the caller overrides the preset's squeeze")
    else:
        add_case("timm-seresnet", "timm-seresnet", modules, tensors, non_se, note="timm SEModule")


def cadene_senet():
    torch.manual_seed(5)
    generator = torch.Generator().manual_seed(16)
    modules = {}
    tensors = {}
    for prefix, c in [("layer1.0.se_module", 64), ("layer2.1.se_module", 128)]:
        se = CadeneSEModule(c)
        perturb_biases(se, generator)
        modules[prefix] = (se, c, c // 16, True)
        tensors.update({f"{prefix}.{k}": v for k, v in se.state_dict().items()})
    non_se = ["layer0.conv1.weight", "last_linear.bias"]
    tensors["layer0.conv1.weight"] = torch.randn((4, 3, 3, 3), generator=generator)
    tensors["last_linear.bias"] = torch.randn((10,), generator=generator)
    add_case("cadene-senet", "cadene-senet", modules, tensors, non_se, note="Cadene pretrainedmodels SEModule")


def caffe_senet():
    # Official SENet Caffe prototxt: conv2_1_1x1_down / conv2_1_1x1_up (Convolution
    # with bias), blobs exported as <layer>.weight / <layer>.bias.
    torch.manual_seed(6)
    generator = torch.Generator().manual_seed(17)
    modules = {}
    tensors = {}
    for prefix, c in [("conv2_1", 64), ("conv3_2", 128)]:
        se = CadeneSEModule(c)
        perturb_biases(se, generator)
        modules[prefix] = (se, c, c // 16, True)
        tensors[f"{prefix}_1x1_down.weight"] = se.fc1.weight
        tensors[f"{prefix}_1x1_down.bias"] = se.fc1.bias
        tensors[f"{prefix}_1x1_up.weight"] = se.fc2.weight
        tensors[f"{prefix}_1x1_up.bias"] = se.fc2.bias
    non_se = ["conv2_1_1x1_reduce.weight", "conv2_1_3x3.weight"]
    tensors["conv2_1_1x1_reduce.weight"] = torch.randn((4, 8, 1, 1), generator=generator)
    tensors["conv2_1_3x3.weight"] = torch.randn((4, 4, 3, 3), generator=generator)
    add_case("caffe-senet", "caffe-senet", modules, tensors, non_se, note="official SENet Caffe layer names")


def moskomule():
    torch.manual_seed(7)
    generator = torch.Generator().manual_seed(18)
    modules = {}
    tensors = {}
    for prefix, c in [("layer1.0.se", 64), ("layer2.0.se", 128)]:
        se = MoskomuleSELayer(c)
        modules[prefix] = (se, c, c // 16, False)
        tensors.update({f"{prefix}.{k}": v for k, v in se.state_dict().items()})
    non_se = ["layer1.0.conv1.weight", "fc.weight"]
    tensors["layer1.0.conv1.weight"] = torch.randn((4, 4, 3, 3), generator=generator)
    tensors["fc.weight"] = torch.randn((10, 128), generator=generator)
    add_case("moskomule", "moskomule", modules, tensors, non_se, note="moskomule senet.pytorch SELayer, no bias")


def timm_efficientnet_blocks(name, preset, act, gate, seed):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed + 100)
    modules = {}
    tensors = {}
    # (prefix, mid_chs, rd): rd is round(block_in * 0.25) as timm computes it.
    for prefix, c, rd in [("blocks.0.0.se", 32, 8), ("blocks.1.0.se", 96, 4), ("blocks.1.1.se", 144, 6)]:
        se = TimmSqueezeExcite(c, rd, act, gate)
        perturb_biases(se, generator)
        modules[prefix] = (se, c, rd, True)
        tensors.update({f"{prefix}.{k}": v for k, v in se.state_dict().items()})
    non_se = ["conv_stem.weight", "blocks.0.0.conv_dw.weight"]
    tensors["conv_stem.weight"] = torch.randn((8, 3, 3, 3), generator=generator)
    tensors["blocks.0.0.conv_dw.weight"] = torch.randn((8, 1, 3, 3), generator=generator)
    add_case(name, preset, modules, tensors, non_se, note="timm SqueezeExcite (conv_reduce / conv_expand)")


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
    timm_efficientnet_blocks("timm-efficientnet", "timm-efficientnet", nn.SiLU(), nn.Sigmoid(), 8)
    timm_efficientnet_blocks("timm-mobilenetv3", "timm-mobilenetv3", nn.ReLU(), timm_hard_sigmoid, 9)
    index = {
        "description": "Importer fixtures: weights in one naming convention each, and y = block(x) per SE block. "
        "Written by scripts/make_import_fixtures.py; do not edit by hand.",
        "source": f"torch {torch.__version__} / torchvision {torchvision.__version__}, float64 forward of float32 weights and x",
        "inputShape": "[2, C, 3, 2] NCHW; expected file tensors x:<prefix> (F32) and y:<prefix> (F64)",
        "cases": CASES,
    }
    with open(os.path.join(OUT_DIR, "index.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT_DIR, p)) for p in os.listdir(OUT_DIR))
    print(f"wrote {len(CASES)} cases to {OUT_DIR} ({total} bytes)")


if __name__ == "__main__":
    main()
