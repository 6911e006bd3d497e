"""Writes test/fixtures/: what PIL and torchvision make of small images, so the tests can hold the
JavaScript preprocessing to them. Run with Debian's Python (PIL 9.4, torchvision 0.14):
/usr/bin/python3 apps/demo-imagenet/scripts/pil_fixtures.py

- noise.png: a 61x47 RGB image of seeded noise (the hardest case for a resampler);
- noise-<filter>-<w>x<h>.png: PIL's Image.resize of it (shrink, enlarge, one axis each way);
- sample-crop.png: torchvision's Resize(235, bicubic) + CenterCrop(224) of samples/sample.png,
  timm's evaluation transform for the seeded checkpoint's config (crop_pct 0.95);
- index.json: the list, and for sample-crop the float32 sum and a few values of the normalised
  tensor (ToTensor + Normalize with ImageNet's mean and std).
"""

import json
import pathlib

import numpy as np
import torchvision.transforms as T
from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent.parent
OUT = HERE / "test" / "fixtures"
OUT.mkdir(parents=True, exist_ok=True)

rng = np.random.default_rng(13)
noise = Image.fromarray(rng.integers(0, 256, size=(47, 61, 3), dtype=np.uint8), "RGB")
noise.save(OUT / "noise.png")
resized = []
for name, flt in (("bilinear", Image.BILINEAR), ("bicubic", Image.BICUBIC), ("nearest", Image.NEAREST)):
    for w, h in ((23, 17), (83, 64), (40, 90)):
        file = f"noise-{name}-{w}x{h}.png"
        noise.resize((w, h), flt).save(OUT / file)
        resized.append({"file": file, "interpolation": name, "width": w, "height": h})

sample = Image.open(HERE / "samples" / "sample.png").convert("RGB")
crop = T.CenterCrop(224)(T.Resize(235, interpolation=T.InterpolationMode.BICUBIC)(sample))
crop.save(OUT / "sample-crop.png")
tensor = T.Normalize(mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225))(T.ToTensor()(crop))
flat = tensor.numpy().reshape(-1)
picks = [0, 1, 777, 50_000, 100_352, 150_527]
index = {
    "resized": resized,
    "sample_crop": {
        "file": "sample-crop.png",
        "normalised_sum": float(flat.astype(np.float64).sum()),
        "normalised_at": {str(i): float(flat[i]) for i in picks},
    },
}
(OUT / "index.json").write_text(json.dumps(index, indent=2) + "\n")
print(f"wrote {len(resized) + 2} images and index.json to {OUT}")
