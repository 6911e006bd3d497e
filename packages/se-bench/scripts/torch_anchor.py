"""PyTorch anchor for se-bench: times the SE block in eager PyTorch on one CPU thread.

Reads a JSON request on stdin ({warmup, repeats, min_repeats, budget_ms, cases: [{id, shape,
spec}]}, spec a normalised se-core version-2 spec) and prints {torch, threads, results: [{id,
median_ms, min_ms, max_ms, runs}]}. Each excitation kind is timm's module for it: SEModule
(mlp: mean over H, W -> Linear -> ReLU -> Linear), EffectiveSEModule (ese: one C x C layer),
EcaModule (eca: a Conv1d across channels) and CbamModule's channel attention (cbam: the same
MLP on the mean and on the max, summed); then the gate (sigmoid or hard-sigmoid), the gain and
x * e. Run with Debian's /usr/bin/python3 (python3-torch).
"""
import json
import statistics
import sys
import time

import torch


def gate_of(gate):
    if gate["type"] == "sigmoid":
        return torch.nn.Sigmoid()
    # PyTorch's Hardsigmoid is clamp(x / 6 + 1 / 2, 0, 1): the only hard-sigmoid it has.
    if abs(gate["alpha"] - 1 / 6) > 1e-12 or gate["beta"] != 0.5:
        raise ValueError(f"no PyTorch module for the hard-sigmoid {gate}")
    return torch.nn.Hardsigmoid()


def activation_of(name):
    modules = {"relu": torch.nn.ReLU, "silu": torch.nn.SiLU, "gelu": torch.nn.GELU,
               "hardswish": torch.nn.Hardswish, "relu6": torch.nn.ReLU6}
    return modules[name]()


class Mlp(torch.nn.Module):
    def __init__(self, c, e):
        super().__init__()
        self.fc1 = torch.nn.Linear(c, e["reducedChannels"], bias=e["bias"])
        self.act = activation_of(e["activation"])
        self.fc2 = torch.nn.Linear(e["reducedChannels"], c, bias=e["bias"])

    def forward(self, d):
        return self.fc2(self.act(self.fc1(d)))


class Ese(torch.nn.Module):
    def __init__(self, c, e):
        super().__init__()
        self.fc = torch.nn.Linear(c, c, bias=e["bias"])

    def forward(self, d):
        return self.fc(d)


class Eca(torch.nn.Module):
    def __init__(self, c, e):
        super().__init__()
        k = e["kernelSize"]
        self.conv = torch.nn.Conv1d(1, 1, k, padding=(k - 1) // 2, bias=False)

    def forward(self, d):
        return self.conv(d[:, None, :])[:, 0, :]


KINDS = {"mlp": Mlp, "ese": Ese, "eca": Eca, "cbam": Mlp}


class SE(torch.nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.squeeze = spec["squeeze"]
        self.logits = KINDS[spec["excitation"]["kind"]](spec["channels"], spec["excitation"])
        self.gate = gate_of(spec["gate"])
        self.gain = spec["gain"]

    def forward(self, x):
        if self.squeeze == "avg":
            z = self.logits(x.mean((2, 3)))
        elif self.squeeze == "max":
            z = self.logits(x.amax((2, 3)))
        elif self.squeeze == "avgmax":
            z = self.logits(0.5 * x.mean((2, 3)) + 0.5 * x.amax((2, 3)))
        else:  # avg+max: each descriptor through the excitation, logits summed (CBAM)
            z = self.logits(x.mean((2, 3))) + self.logits(x.amax((2, 3)))
        e = self.gate(z)
        if self.gain != 1:
            e = e * self.gain
        return x * e[:, :, None, None]


def main():
    request = json.load(sys.stdin)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    results = []
    for case in request["cases"]:
        n, c, h, w = case["shape"]
        block = SE(case["spec"]).eval()
        x = torch.rand(n, c, h, w) * 2 - 1
        times = []
        with torch.inference_mode():
            for _ in range(request["warmup"]):
                block(x)
            start = time.perf_counter()
            while len(times) < request["min_repeats"] or (
                len(times) < request["repeats"]
                and (time.perf_counter() - start) * 1000 < request["budget_ms"]
            ):
                t0 = time.perf_counter()
                block(x)
                times.append((time.perf_counter() - t0) * 1000)
        results.append(
            {
                "id": case["id"],
                "median_ms": statistics.median(times),
                "min_ms": min(times),
                "max_ms": max(times),
                "runs": len(times),
            }
        )
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
