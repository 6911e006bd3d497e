import { readFile } from 'node:fs/promises';
import { loadNetworkSession } from '@seblock/se-onnxruntime/networks';

// timm's SE-ResNet-50 state_dict (model.safetensors from its Hugging Face repository)
const weights = new Uint8Array(await readFile('model.safetensors'));
const session = await loadNetworkSession('seresnet50', weights, { runtime: 'node' });
const image = new Float32Array(3 * 224 * 224); // RGB, NCHW, normalised as timm's config says
const logits = await session.run(image, [1, 3, 224, 224]); // Float32Array(1000)
console.log('class', logits.indexOf(Math.max(...logits)));
await session.dispose();
