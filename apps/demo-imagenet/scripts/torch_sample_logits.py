"""Writes test/fixtures/sample-logits.json: what PyTorch computes for the demos' default case,
the seeded SE-ResNet-50 on samples/sample.png prepared by torchvision, so the demos' tests can
hold every backend to PyTorch's answer, not only to each other.

- the network and its seeded weights come from se-core's fixture script
  (packages/se-core/scripts/make_network_fixtures.py: timm's module names, the seeded scheme
  that src/networks/seeded.ts mirrors), seed 20240613 as the demos' checkpoint;
- the input is timm's evaluation transform for the seeded config.json: Resize(235, bicubic),
  CenterCrop(224), ToTensor, Normalize(ImageNet mean, std), on the PIL image;
- it records the float64 logits, PyTorch's own float32 error on this input (the yardstick of the
  network tests' tolerance) and the float64 top-5.

Run with Debian's Python (torch 1.13, torchvision 0.14):
/usr/bin/python3 apps/demo-imagenet/scripts/torch_sample_logits.py
"""

import json
import pathlib
import sys

import torch
import torchvision.transforms as T
from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent.parent
SE_CORE_SCRIPTS = HERE.parent.parent / "packages" / "se-core" / "scripts"
sys.path.insert(0, str(SE_CORE_SCRIPTS))
from make_network_fixtures import NETWORKS, SEED, run, seeded_state_dict  # noqa: E402

torch.set_num_threads(2)
make, _ = NETWORKS["seresnet50"]
model = make(1000, False)
state = seeded_state_dict(model, SEED)

image = Image.open(HERE / "samples" / "sample.png").convert("RGB")
transform = T.Compose([
    T.Resize(235, interpolation=T.InterpolationMode.BICUBIC),
    T.CenterCrop(224),
    T.ToTensor(),
    T.Normalize(mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)),
])
x = transform(image).unsqueeze(0)
y32, y64, stats = run(model, state, x)
top5 = torch.topk(y64[0], 5)
out = {
    "seed": SEED,
    "architecture": "seresnet50",
    "image": "samples/sample.png",
    "max_abs_logit": float(stats["max_abs_logit"]),
    "torch_float32_error": float(stats["torch_float32_error"]),
    "torch_float32_error_ulps": float(stats["torch_float32_error_ulps"]),
    "top5": top5.indices.tolist(),
    "top5_logits": top5.values.tolist(),
    "y64": y64[0].tolist(),
}
path = HERE / "test" / "fixtures" / "sample-logits.json"
path.write_text(json.dumps(out) + "\n")
print(f"wrote {path}: top-5 {out['top5']}, max|y| {out['max_abs_logit']:.4g}, "
      f"torch float32 error {out['torch_float32_error_ulps']:.3g} ULP")
