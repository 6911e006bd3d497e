import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.safetensors': 'application/octet-stream',
};

/** URL prefix → directory on disk, or → an in-memory lookup. */
export type Route =
  | { readonly prefix: string; readonly directory: string }
  | { readonly prefix: string; readonly lookup: (name: string) => Uint8Array | undefined };

/**
 * A static server on 127.0.0.1 with a random port. It sends COOP/COEP so the
 * page is cross-origin isolated (multi-threaded wasm needs SharedArrayBuffer),
 * and refuses paths that escape their directory.
 */
export async function startStaticServer(
  routes: readonly Route[],
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
    for (const route of routes) {
      if (!path.startsWith(route.prefix)) continue;
      const rest = path.slice(route.prefix.length) || 'index.html';
      try {
        let body: Uint8Array | undefined;
        if ('lookup' in route) body = route.lookup(rest);
        else {
          const root = resolve(route.directory);
          const file = resolve(root, rest);
          if (!file.startsWith(root + sep)) break; // ../ escapes are not served
          body = await readFile(file);
        }
        if (!body) break;
        response.writeHead(200, {
          ...headers,
          'Content-Type': TYPES[extname(rest)] ?? 'application/octet-stream',
        });
        response.end(body);
        return;
      } catch {
        break;
      }
    }
    response.writeHead(404, headers);
    response.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
