// The throwaway registry: Verdaccio from this tool's own node_modules, started as a
// child process on 127.0.0.1 with config.yaml copied into a temp dir (its storage and
// htpasswd live there and go with it).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(here, 'package.json'));

/** A port the OS says is free now (bound and released at once; Verdaccio binds it next). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswers(url, child, logFile, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  const error = new Error(
    child.exitCode !== null
      ? `Verdaccio exited with status ${child.exitCode} before answering`
      : `Verdaccio did not answer ${url}-/ping within ${timeoutMs / 1000}s`,
  );
  error.tail = log;
  throw error;
}

/**
 * Starts Verdaccio in `dir` and registers a throwaway user.
 * Returns { url, token, stop(), packument(name) }.
 */
export async function startRegistry(dir) {
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'config.yaml');
  await copyFile(join(here, 'config.yaml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const logFile = join(dir, 'verdaccio.log');
  const log = createWriteStream(logFile);
  const bin = join(require.resolve('verdaccio/package.json'), '..', 'bin', 'verdaccio');
  const child = spawn(
    process.execPath,
    [bin, '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No proxy settings: with no uplinks it has nowhere to go anyway.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.on('exit', resolve));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilAnswers(url, child, logFile);
    // Verdaccio's htpasswd plugin registers a user on this CouchDB-style PUT and
    // answers with a token; config.yaml allows exactly one user.
    const name = 'release-verify';
    const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: randomBytes(18).toString('base64url') }),
    });
    const body = await response.json();
    if (!response.ok || typeof body.token !== 'string') {
      throw new Error(`could not register a user: HTTP ${response.status} ${JSON.stringify(body)}`);
    }
    return {
      url,
      port,
      token: body.token,
      logFile,
      stop,
      /** The registry's document for a package, or undefined on 404. */
      async packument(pkg) {
        const res = await fetch(`${url}${pkg.replace('/', '%2f')}`, {
          headers: { authorization: `Bearer ${body.token}` },
        });
        if (res.status === 404) return undefined;
        if (!res.ok) throw new Error(`GET ${pkg} from Verdaccio: HTTP ${res.status}`);
        return res.json();
      },
      async tarball(tarballUrl) {
        const res = await fetch(tarballUrl);
        if (!res.ok) throw new Error(`GET ${tarballUrl}: HTTP ${res.status}`);
        return new Uint8Array(await res.arrayBuffer());
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
