#!/usr/bin/python3
"""PyTorch side of se-bench's network suite: SE-ResNet-50 against ResNet-50, eager, on CPU.

The networks, their seeded weights and the input are se-core's fixture code
(packages/se-core/scripts/make_network_fixtures.py, imported, not copied): timm's module names,
the counter-based weights that se-core's seededStateDict reproduces bit for bit, and
seeded_floats(seed, "input", N*3*224*224) as the batch, whose first image is the fixtures' input.
So ResNet-50 and SE-ResNet-50 share every weight but the SE blocks', here and in every JS runtime.

Two modes, run with Debian's /usr/bin/python3 (python3-torch 1.13):

  torch_networks.py < request.json
      Reads {seed, networks, batches, threads, warmup, min_rounds, max_rounds, budget_ms,
      profile_runs} and prints JSON: for each thread count and batch, the per-round times of
      every network (rounds alternate which network runs first, so load from other work falls
      on both alike), the process CPU time per wall time, the last logits; and, with
      profile_runs > 0, a per-module operator profile (torch.profiler, each module's forward
      wrapped in a record_function range) at one thread.

  torch_networks.py --references OUT.safetensors
      Writes the float64 logits of both networks for a batch of 8 (and PyTorch's own float32
      error), the yardstick of every runtime's logits in the suite (committed, so machines
      without torch check them too).
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "se-core", "scripts"))
import make_network_fixtures as fixtures  # noqa: E402

REFERENCE_BATCH = 8
# Ops the record_function ranges themselves run (each range's handle), charged to the parent
# module: instrumentation, not the network.
INSTRUMENTATION = {"aten::zeros", "aten::zero_", "aten::empty"}


def build(arch, seed):
    make, _ = fixtures.NETWORKS[arch]
    model = make(1000, False)
    model.load_state_dict(fixtures.seeded_state_dict(model, seed))
    return model.float().eval()


def batch_input(seed, batch):
    shape = (batch, 3, 224, 224)
    n = shape[0] * shape[1] * shape[2] * shape[3]
    return torch.from_numpy(fixtures.seeded_floats(seed, "input", n)).reshape(shape)


def timed(model, x):
    wall, cpu = time.perf_counter(), time.process_time()
    y = model(x)
    return y, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def paired_rounds(models, x, request):
    """Warm-up, then rounds of one forward per network, alternating which goes first."""
    names = list(models)
    times = {name: [] for name in names}
    cpu_ms, wall_ms, last = 0.0, 0.0, {}
    with torch.inference_mode():
        for _ in range(request["warmup"]):
            for name in names:
                models[name](x)
        start = time.perf_counter()
        rounds = 0
        while rounds < request["min_rounds"] or (
            rounds < request["max_rounds"]
            and (time.perf_counter() - start) * 1000 < request["budget_ms"] * len(names)
        ):
            for name in names if rounds % 2 == 0 else reversed(names):
                y, wall, cpu = timed(models[name], x)
                times[name].append(wall)
                wall_ms += wall
                cpu_ms += cpu
                last[name] = y
            rounds += 1
    logits = {name: y.flatten().tolist() for name, y in last.items()}
    return times, cpu_ms / wall_ms, logits


def module_ranges(model):
    """Wraps every submodule's forward in a record_function range named after its path."""
    stack, handles = [], []
    for name, module in model.named_modules():
        if not name:
            continue

        def enter(_module, _inputs, name=name):
            scope = torch.autograd.profiler.record_function("module::" + name)
            scope.__enter__()
            stack.append(scope)

        def leave(_module, _inputs, _output):
            stack.pop().__exit__(None, None, None)

        handles += [module.register_forward_pre_hook(enter), module.register_forward_hook(leave)]
    return handles


def charge(prof, model, runs, sums):
    """Adds one profiled forward's ops to sums[(module, op)], in ms per forward of `runs`.

    An op is charged to the innermost module whose forward ran it; the residual addition runs
    in the bottleneck's own forward, so it is charged to '<bottleneck>.add', the IR node's id.
    The profiler sometimes links an op's own inner op (mean's div_, relu_'s clamp_min_) to the
    module instead of the op: an op inside the time range of the op before it is not counted.
    """
    children = {}
    for event in prof.events():
        parent = event.cpu_parent
        if not event.name.startswith("aten::") or event.name in INSTRUMENTATION:
            continue
        if parent is not None and parent.name.startswith("module::"):
            children.setdefault(parent.id, (parent, []))[1].append(event)
    for parent, events in children.values():
        node = parent.name[len("module::"):]
        end = float("-inf")
        for event in sorted(events, key=lambda e: e.time_range.start):
            if event.time_range.start < end:
                continue
            end = event.time_range.end
            name = node
            if event.name.startswith("aten::add") and isinstance(model.get_submodule(node), fixtures.Bottleneck):
                name += ".add"
            key = (name, event.name)
            sums[key] = sums.get(key, 0.0) + event.cpu_time_total / 1000 / runs


def profile_pair(models, x, runs):
    """Per (innermost module, aten op) CPU time per forward of each network, in ms.

    The networks take turns, the order flipped every run as in the timed rounds, so load drift
    falls on both profiles alike; each forward has its own profiler session.
    """
    names = list(models)
    handles = [h for model in models.values() for h in module_ranges(model)]
    sums, walls = {name: {} for name in names}, {name: 0.0 for name in names}
    try:
        with torch.inference_mode():
            for name in names:
                models[name](x)
            for run in range(runs):
                for name in names if run % 2 == 0 else reversed(names):
                    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
                        start = time.perf_counter()
                        models[name](x)
                        walls[name] += (time.perf_counter() - start) * 1000 / runs
                    charge(prof, models[name], runs, sums[name])
    finally:
        for h in handles:
            h.remove()
    return {name: (walls[name], [{"node": node, "op": op, "ms": ms} for (node, op), ms in sums[name].items()])
            for name in names}


def bench(request):
    seed = request["seed"]
    models = {arch: build(arch, seed) for arch in request["networks"]}
    runs, profiles = [], []
    for threads in request["threads"]:
        torch.set_num_threads(threads)
        for batch in request["batches"]:
            x = batch_input(seed, batch)
            times, cpu_per_wall, logits = paired_rounds(models, x, request)
            runs.append({"threads": torch.get_num_threads(), "batch": batch, "times": times,
                         "cpu_per_wall": cpu_per_wall, "logits": logits})
            if request["profile_runs"] > 0 and threads == 1:
                for arch, (wall, entries) in profile_pair(models, x, request["profile_runs"]).items():
                    profiles.append({"network": arch, "batch": batch, "threads": 1, "wall_ms": wall,
                                     "entries": entries})
    return {"torch": torch.__version__, "runs": runs, "profiles": profiles}


def references(path):
    seed = fixtures.SEED
    x = batch_input(seed, REFERENCE_BATCH)
    tensors, meta = {}, {"seed": str(seed), "input_shape": json.dumps(list(x.shape))}
    for arch in ("resnet50", "seresnet50"):
        make, _ = fixtures.NETWORKS[arch]
        model = make(1000, False)
        _, y64, stats = fixtures.run(model, fixtures.seeded_state_dict(model, seed), x)
        tensors[f"{arch}.y64"] = y64
        for key, value in stats.items():
            meta[f"{arch}.{key}"] = value
        print(f"{arch}: max|y| {float(stats['max_abs_logit']):.4g}, "
              f"torch float32 error {float(stats['torch_float32_error_ulps']):.3g} ULP", file=sys.stderr)
    fixtures.write_safetensors(path, tensors, meta)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--references":
        references(sys.argv[2])
        return
    torch.manual_seed(0)
    json.dump(bench(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
