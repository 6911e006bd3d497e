#!/usr/bin/python3
"""Test fixtures for @seblock/se-onnxruntime, made with Debian's PyTorch.

Run with /usr/bin/python3 (python3-torch 1.13, python3-torchvision 0.14):
    /usr/bin/python3 packages/se-onnxruntime/scripts/make_fixtures.py

Writes to test/fixtures/ (committed; CI never needs torch):
- resnet.onnx: a small ResNet-style network (BasicBlocks, random weights, BN folded
  by the exporter), exported by torch.onnx.export at opset 17, without SE blocks.
- resnet-se-weights.safetensors: the SE blocks PyTorch puts on each residual branch
  (before the Add), as a se-core bundle keyed by module prefix (layer1.0.se, ...).
- se-resnet.onnx: the SE-ResNet itself, exported by PyTorch (extractSE must read
  the forms the exporter writes: ReduceMean, HardSigmoid, Sigmoid·Mul SiLU, a gain Mul).
- resnet-io.safetensors: a fixed input x and the outputs of the plain network and
  of the SE-ResNet PyTorch builds from the same weights (float32 and float64).
- mobilenet_v3_small.onnx: torchvision MobileNetV3-Small (width 0.5, 10 classes,
  random weights) exported at opset 17.
- mobilenet-se-weights.safetensors: every SqueezeExcitation's weights from the
  state_dict, as a se-core bundle keyed by PyTorch module name.
- mobilenet-io.safetensors: a fixed input and PyTorch's logits.
Deterministic: fixed seeds, no data downloads.
"""
import json
import struct
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures"
OPSET = 17

SIGMOID = {"type": "sigmoid"}
TORCH_HARDSIGMOID = {"type": "hardsigmoid", "alpha": 1 / 6, "beta": 0.5}


def write_safetensors(path, tensors, metadata):
    """The safetensors container: u64 LE header length, JSON header padded with spaces to 8 bytes, data."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, array in tensors.items():
        array = np.ascontiguousarray(array)
        dtype = {np.dtype("float32"): "F32", np.dtype("float64"): "F64"}[array.dtype]
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def spec(channels, reduced, activation, gate, bias, gain=1):
    return {"version": 1, "channels": channels, "reducedChannels": reduced, "squeeze": "avg",
            "activation": activation, "gate": gate, "bias": bias, "gain": gain}


def write_bundle(path, blocks):
    """blocks: prefix -> (spec, fc1 [rd, C], fc1 bias, fc2 [C, rd], fc2 bias)."""
    tensors = {}
    specs = {}
    for prefix, (s, w1, b1, w2, b2) in blocks.items():
        specs[prefix] = s
        tensors[f"{prefix}.fc1.weight"] = w1
        tensors[f"{prefix}.fc2.weight"] = w2
        if s["bias"]:
            tensors[f"{prefix}.fc1.bias"] = b1
            tensors[f"{prefix}.fc2.bias"] = b2
    write_safetensors(path, tensors, {"format": "seblock/1", "se.blocks": json.dumps(specs)})


class SE(nn.Module):
    """An SE block exactly as se-core's spec defines it (avg squeeze, 1x1 convs)."""

    def __init__(self, s):
        super().__init__()
        self.s = s
        self.fc1 = nn.Conv2d(s["channels"], s["reducedChannels"], 1, bias=s["bias"])
        self.fc2 = nn.Conv2d(s["reducedChannels"], s["channels"], 1, bias=s["bias"])

    def forward(self, x):
        z = self.fc2({"relu": F.relu, "silu": F.silu}[self.s["activation"]](self.fc1(x.mean((2, 3), keepdim=True))))
        e = torch.sigmoid(z) if self.s["gate"]["type"] == "sigmoid" else F.hardsigmoid(z)
        return x * (e * self.s["gain"])

    def weights(self):
        flat = lambda t: t.detach().double().numpy().astype(np.float32)
        w1 = flat(self.fc1.weight).reshape(self.s["reducedChannels"], self.s["channels"])
        w2 = flat(self.fc2.weight).reshape(self.s["channels"], self.s["reducedChannels"])
        b1 = flat(self.fc1.bias) if self.s["bias"] else None
        b2 = flat(self.fc2.bias) if self.s["bias"] else None
        return self.s, w1, b1, w2, b2


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, se_spec=None):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.se = SE(se_spec) if se_spec else None
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.se is not None:
            out = self.se(out)  # the paper's placement: on the residual branch, before the addition
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(out + shortcut)


# Three SE variants so the surgery is checked on more than the paper's block.
RESNET_SE = {
    "layer1.0": spec(16, 4, "relu", SIGMOID, True),
    "layer2.0": spec(32, 8, "relu", TORCH_HARDSIGMOID, True),
    "layer2.1": spec(32, 2, "silu", SIGMOID, False, gain=2),
}


class SmallResNet(nn.Module):
    def __init__(self, with_se):
        super().__init__()
        se = lambda name: RESNET_SE[name] if with_se else None
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = nn.Sequential(BasicBlock(16, 16, 1, se("layer1.0")))
        self.layer2 = nn.Sequential(BasicBlock(16, 32, 2, se("layer2.0")), BasicBlock(32, 32, 1, se("layer2.1")))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def randomise_batchnorm(model, generator):
    """Default BN is the identity; random statistics make the folding by the exporter matter."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = 0.5 + torch.rand(n, generator=generator)
            m.bias.data = 0.2 * torch.randn(n, generator=generator)
            m.running_mean.data = 0.2 * torch.randn(n, generator=generator)
            m.running_var.data = 0.5 + torch.rand(n, generator=generator)


def export(model, x, path, dynamic_batch=True):
    torch.onnx.export(
        model, x, str(path), opset_version=OPSET, do_constant_folding=True,
        input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None,
    )


def make_resnet():
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    plain = SmallResNet(with_se=False)
    randomise_batchnorm(plain, generator)
    se_net = SmallResNet(with_se=True)
    # Same weights in both; the SE blocks keep their own random init, made less tame:
    # biases around the gate's working range so hard-sigmoid is neither saturated nor linear.
    missing = se_net.load_state_dict(plain.state_dict(), strict=False)
    assert not missing.unexpected_keys and all(".se." in k for k in missing.missing_keys), missing
    for name, m in se_net.named_modules():
        if isinstance(m, SE):
            for conv in (m.fc1, m.fc2):
                conv.weight.data = torch.randn(conv.weight.shape, generator=generator) / conv.weight.shape[1] ** 0.5
                if conv.bias is not None:
                    conv.bias.data = 0.5 * torch.randn(conv.bias.shape, generator=generator)
    plain.eval()
    se_net.eval()
    x = torch.randn(2, 3, 16, 16, generator=generator)
    with torch.no_grad():
        y_plain = plain(x)
        y_se = se_net(x)
        y_se64 = se_net.double()(x.double())
        se_net.float()
    export(plain, x, OUT / "resnet.onnx")
    export(se_net, x, OUT / "se-resnet.onnx")
    blocks = {f"{name}.se": block.se.weights() for name, block in se_net.named_modules() if isinstance(block, BasicBlock) and block.se}
    write_bundle(OUT / "resnet-se-weights.safetensors", blocks)
    write_safetensors(OUT / "resnet-io.safetensors", {
        "x": x.numpy(), "y_plain": y_plain.numpy(), "y_se": y_se.numpy(), "y_se_f64": y_se64.numpy(),
    }, {"source": f"torch {torch.__version__}", "input": "NCHW"})


def make_mobilenet():
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(2)
    model = torchvision.models.mobilenet_v3_small(width_mult=0.5, num_classes=10)
    randomise_batchnorm(model, generator)
    # torchvision initialises conv biases to zero; give half of the SE blocks random
    # biases so weights are checked, and leave the rest at zero: the exporter then
    # shares equal zero biases through Identity nodes, a form extractSE must follow.
    se_modules = [m for m in model.modules() if isinstance(m, torchvision.ops.SqueezeExcitation)]
    for i, m in enumerate(se_modules):
        if i % 2 == 0:
            m.fc1.bias.data = 0.5 * torch.randn(m.fc1.bias.shape, generator=generator)
            m.fc2.bias.data = 0.5 * torch.randn(m.fc2.bias.shape, generator=generator)
    model.eval()
    x = torch.randn(1, 3, 64, 64, generator=generator)
    with torch.no_grad():
        logits = model(x)
        logits64 = model.double()(x.double())
        model.float()
    export(model, x, OUT / "mobilenet_v3_small.onnx")
    state = model.state_dict()
    blocks = {}
    for name, m in model.named_modules():
        if isinstance(m, torchvision.ops.SqueezeExcitation):
            c, rd = m.fc1.in_channels, m.fc1.out_channels
            flat = lambda t: t.detach().numpy().astype(np.float32)
            blocks[name] = (spec(c, rd, "relu", TORCH_HARDSIGMOID, True),
                            flat(state[f"{name}.fc1.weight"]).reshape(rd, c), flat(state[f"{name}.fc1.bias"]),
                            flat(state[f"{name}.fc2.weight"]).reshape(c, rd), flat(state[f"{name}.fc2.bias"]))
    write_bundle(OUT / "mobilenet-se-weights.safetensors", blocks)
    write_safetensors(OUT / "mobilenet-io.safetensors", {
        "x": x.numpy(), "logits": logits.numpy(), "logits_f64": logits64.numpy(),
    }, {"source": f"torch {torch.__version__}, torchvision {torchvision.__version__}"})
    return blocks


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    make_resnet()
    blocks = make_mobilenet()
    print(f"mobilenet: {len(blocks)} SE blocks: {', '.join(blocks)}")
    for p in sorted(OUT.iterdir()):
        print(f"{p.name}: {p.stat().st_size} bytes")
