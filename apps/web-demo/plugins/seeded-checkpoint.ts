// A Vite plugin that serves the seeded SE-ResNet-50 checkpoint as a Hugging Face style folder
// (`config.json` + `model.safetensors`) from `vite` and `vite preview`, so the classify page
// loads it through the same URL loader a real checkpoint uses. It is made in memory on the first
// request (about 1 s) and never written: 112 MB would otherwise land in dist/ and in turbo's
// build cache on every build.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { seededCheckpoint, seededConfig } from 'demo-imagenet';
import type { Connect, Plugin } from 'vite';

/** The folder URL the page loads by default, relative to the page. */
export const SEEDED_CHECKPOINT_PATH = 'checkpoints/seresnet50-seeded/';

let weights: Uint8Array | undefined;

function serve(
  request: IncomingMessage,
  response: ServerResponse,
  next: Connect.NextFunction,
): void {
  const path = (request.url ?? '').split('?')[0] ?? '';
  const file = path.startsWith(`/${SEEDED_CHECKPOINT_PATH}`)
    ? path.slice(SEEDED_CHECKPOINT_PATH.length + 1)
    : undefined;
  if (file === 'config.json') {
    const body = JSON.stringify(seededConfig(), null, 2);
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  } else if (file === 'model.safetensors') {
    weights ??= seededCheckpoint();
    // A Content-Length, so the page can show how far the download is.
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': weights.length,
    });
    response.end(weights);
  } else next();
}

export function seededCheckpointServer(): Plugin {
  return {
    name: 'web-demo:seeded-checkpoint',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}
