"""Writes src/imagenet-classes.generated.ts: the 1,000 ImageNet-1k class names in class-index
order (index 0 = tench, 1 = goldfish, ...), the order every ImageNet checkpoint's logits follow.

The names are facts; this script takes them from the short English names torchvision lists for its
ImageNet weights (torchvision.models._meta._IMAGENET_CATEGORIES), so no one types 1,000 names by
hand. Run with Debian's Python: /usr/bin/python3 apps/demo-imagenet/scripts/imagenet_classes.py
"""

import json
import pathlib

from torchvision.models._meta import _IMAGENET_CATEGORIES

names = list(_IMAGENET_CATEGORIES)
assert len(names) == 1000, len(names)
out = pathlib.Path(__file__).resolve().parent.parent / "src" / "imagenet-classes.generated.ts"
lines = [
    "// Written by scripts/imagenet_classes.py: the ImageNet-1k class names in class-index order.",
    "export const IMAGENET_CLASSES: readonly string[] = Object.freeze([",
    *(f"  {json.dumps(name, ensure_ascii=False)}," for name in names),
    "]);",
]
out.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"wrote {out} ({len(names)} names)")
