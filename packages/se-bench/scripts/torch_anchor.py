"""PyTorch anchor for se-bench: times the SE block in eager PyTorch on one CPU thread.

Reads a JSON request on stdin ({warmup, repeats, min_repeats, budget_ms, cases: [{id, shape,
reduced, gate}]}) and prints {torch, threads, results: [{id, median_ms, min_ms, max_ms, runs}]}.
The block is the paper's (and timm's) module: mean over H, W -> Linear -> ReLU -> Linear ->
sigmoid or hard-sigmoid -> x * e. Run with Debian's /usr/bin/python3 (python3-torch).
"""
import json
import statistics
import sys
import time

import torch


class SE(torch.nn.Module):
    def __init__(self, channels, reduced, gate):
        super().__init__()
        self.fc1 = torch.nn.Linear(channels, reduced)
        self.fc2 = torch.nn.Linear(reduced, channels)
        self.gate = torch.nn.Sigmoid() if gate == "sigmoid" else torch.nn.Hardsigmoid()

    def forward(self, x):
        s = x.mean((2, 3))
        e = self.gate(self.fc2(torch.relu(self.fc1(s))))
        return x * e[:, :, None, None]


def main():
    request = json.load(sys.stdin)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    results = []
    for case in request["cases"]:
        n, c, h, w = case["shape"]
        block = SE(c, case["reduced"], case["gate"]).eval()
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
