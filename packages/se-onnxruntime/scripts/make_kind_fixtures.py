#!/usr/bin/python3
"""Fixtures of the attention kinds eca, ese and cbam as PyTorch exports them.

Run with /usr/bin/python3 (python3-torch 1.13):
    /usr/bin/python3 packages/se-onnxruntime/scripts/make_kind_fixtures.py

Writes to test/fixtures/ (committed; CI never needs torch):
- attention-kinds.onnx: a small conv net (random weights) with one block of each kind written
  the way timm's modules compute them (ECA: mean, view(B, 1, -1), Conv1d, sigmoid; effective SE:
  mean, 1x1 conv with bias, hard sigmoid; CBAM channel attention: one bias-free MLP of 1x1
  convs on the mean and on the amax, logits added, sigmoid), exported by torch.onnx.export
  at opset 17 with a dynamic batch.
- attention-kinds-weights.safetensors: those blocks as a se-core bundle (v2 specs) keyed by
  module name (eca, ese, cbam): what extractSE must give back.
Deterministic: fixed seeds.
"""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from make_fixtures import OPSET, OUT, SIGMOID, TORCH_HARDSIGMOID, write_safetensors


def f32(t):
    return t.detach().numpy().astype(np.float32)


class Eca(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.conv = nn.Conv1d(1, 1, k, padding=(k - 1) // 2, bias=False)

    def forward(self, x):
        d = x.mean((2, 3)).view(x.shape[0], 1, -1)
        return x * torch.sigmoid(self.conv(d)).view(x.shape[0], -1, 1, 1)

    def block(self, channels):
        k = self.conv.kernel_size[0]
        spec = {"version": 2, "channels": channels, "squeeze": "avg",
                "excitation": {"kind": "eca", "kernelSize": k}, "gate": SIGMOID, "gain": 1}
        return spec, {"conv.weight": f32(self.conv.weight).reshape(k)}


class Ese(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.fc = nn.Conv2d(channels, channels, 1, bias=True)

    def forward(self, x):
        return x * F.hardsigmoid(self.fc(x.mean((2, 3), keepdim=True)))

    def block(self, channels):
        spec = {"version": 2, "channels": channels, "squeeze": "avg",
                "excitation": {"kind": "ese", "bias": True}, "gate": TORCH_HARDSIGMOID, "gain": 1}
        return spec, {"fc.weight": f32(self.fc.weight).reshape(channels, channels),
                      "fc.bias": f32(self.fc.bias)}


class CbamChannel(nn.Module):
    def __init__(self, channels, reduced):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, reduced, 1, bias=False)
        self.fc2 = nn.Conv2d(reduced, channels, 1, bias=False)

    def forward(self, x):
        mlp = lambda d: self.fc2(F.relu(self.fc1(d)))
        z = mlp(x.mean((2, 3), keepdim=True)) + mlp(x.amax((2, 3), keepdim=True))
        return x * torch.sigmoid(z)

    def block(self, channels):
        rd = self.fc1.out_channels
        spec = {"version": 2, "channels": channels, "squeeze": "avg+max",
                "excitation": {"kind": "cbam", "reducedChannels": rd, "activation": "relu", "bias": False},
                "gate": SIGMOID, "gain": 1}
        return spec, {"fc1.weight": f32(self.fc1.weight).reshape(rd, channels),
                      "fc2.weight": f32(self.fc2.weight).reshape(channels, rd)}


class KindsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.eca = Eca(3)
        self.conv2 = nn.Conv2d(16, 16, 3, padding=1)
        self.ese = Ese(16)
        self.conv3 = nn.Conv2d(16, 24, 3, padding=1)
        self.cbam = CbamChannel(24, 6)

    def forward(self, x):
        x = self.eca(F.relu(self.conv1(x)))
        x = self.ese(F.relu(self.conv2(x)))
        return self.cbam(F.relu(self.conv3(x)))


def main():
    torch.manual_seed(3)
    model = KindsNet().eval()
    x = torch.randn(2, 3, 8, 8)
    torch.onnx.export(
        model, x, str(OUT / "attention-kinds.onnx"), opset_version=OPSET, do_constant_folding=True,
        input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
    )
    tensors, specs = {}, {}
    for name, channels in (("eca", 16), ("ese", 16), ("cbam", 24)):
        spec, weights = getattr(model, name).block(channels)
        specs[name] = spec
        tensors.update({f"{name}.{t}": v for t, v in weights.items()})
    write_safetensors(OUT / "attention-kinds-weights.safetensors", tensors,
                      {"format": "seblock/1", "se.blocks": json.dumps(specs)})
    for p in ("attention-kinds.onnx", "attention-kinds-weights.safetensors"):
        print(f"{p}: {(OUT / p).stat().st_size} bytes")


if __name__ == "__main__":
    main()
