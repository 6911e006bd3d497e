import { SEError } from '../errors/index.js';

/** Bytes received so far and the announced total (`undefined` without a Content-Length). */
export interface DownloadProgress {
  readonly url: string;
  readonly received: number;
  readonly total: number | undefined;
}

/** A download failed: an HTTP error status, a network error, or fewer bytes than announced. */
export class SEDownloadError extends SEError {
  readonly url: string;
  /** The HTTP status when the server answered with an error; `undefined` otherwise. */
  readonly status: number | undefined;
  constructor(url: string, message: string, status?: number) {
    super(`download ${url}`, message);
    this.url = url;
    this.status = status;
  }
}

/** Options of {@link downloadBytes}. */
export interface DownloadOptions {
  /** Called after every chunk (and once at the end). */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** A `fetch` to use instead of the global one (a proxying or authenticating fetch). */
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
}

/**
 * Downloads a file with progress reports, in Node 20+ and browsers (runtime-free: only
 * `fetch` and streams). An HTTP error, a network error or a body shorter or longer than its
 * Content-Length is an {@link SEDownloadError} naming the URL (and status).
 *
 * @example
 * ```ts
 * const bytes = await downloadBytes('https://example.org/model.safetensors', {
 *   onProgress: ({ received, total }) => console.log(`${received} / ${total ?? '?'} bytes`),
 * });
 * ```
 */
export async function downloadBytes(
  url: string,
  options: DownloadOptions = {},
): Promise<Uint8Array> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchImpl(url, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    throw new SEDownloadError(url, `request failed: ${(error as Error).message}`);
  }
  if (!response.ok) {
    throw new SEDownloadError(
      url,
      `HTTP ${response.status} ${response.statusText}`.trim(),
      response.status,
    );
  }
  const header = response.headers.get('content-length');
  // A compressed response announces the compressed size; only trust the length otherwise.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const total = header !== null && !encoded && /^\d+$/.test(header) ? Number(header) : undefined;
  const chunks: Uint8Array[] = [];
  let received = 0;
  const report = () => options.onProgress?.({ url, received, total });
  try {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      if (total !== undefined && received > total) break;
      report();
    }
  } catch (error) {
    throw new SEDownloadError(
      url,
      `the body broke off after ${received} of ${total ?? 'unknown'} bytes: ${(error as Error).message}`,
    );
  }
  if (total !== undefined && received !== total) {
    throw new SEDownloadError(
      url,
      `expected ${total} bytes (Content-Length), received ${received}: a truncated download`,
    );
  }
  report();
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
