#!/usr/bin/env node
// pnpm release:verify — release the workspace for real, but to a throwaway local
// registry, then install it into fresh consumer projects and run it there.
// See RELEASING.md ("What release:verify proves") for what each step shows.
//
//   node tooling/release-verify/verify.mjs [--source <dir>] [--only <ids>] [--keep]
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CONSUMERS } from './lib/consumers.mjs';
import { readJson, run, stopAllCommands } from './lib/exec.mjs';
import { startRegistry } from './lib/registry.mjs';
import { ensureChangeset, prepareSource, publicPackages } from './lib/source.mjs';
import { note, printFailure, printTimings, step } from './lib/steps.mjs';
import { missingTargets, tarballFiles } from './lib/tarball.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
const SCOPE = '@seblock/';
const SNAPSHOT_TAG = 'verify';

const HELP = `release:verify: publish every @seblock/* package to a throwaway local Verdaccio,
then install them into fresh consumer projects and run them.

  --source <dir>  release this directory as it is on disk (default: a clone of
                  the repository at its committed HEAD)
  --only <ids>    run only these consumers (comma-separated): ${CONSUMERS.map((c) => c.id).join(', ')}
  --keep          keep the temp directory (registry storage, scratch copy, consumers)
  -h, --help      this text

Exit status: 0 when every step passed, 1 when any failed (the step and its error are
printed), 2 on a usage error.`;

function options() {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const known = new Set(CONSUMERS.map((c) => c.id));
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of only ?? []) {
    if (!known.has(id)) throw new Error(`--only: unknown consumer "${id}" (known: ${[...known]})`);
  }
  return {
    source: values.source ? resolve(values.source) : undefined,
    consumers: only ? CONSUMERS.filter((c) => only.includes(c.id)) : CONSUMERS,
    keep: values.keep,
  };
}

/**
 * The environment for every child: ours, minus the npm_config_* / pnpm_config_*
 * variables a parent package manager exports to scripts (`pnpm release:verify`
 * sets some), so each project's .npmrc alone decides where packages come from;
 * and minus registry tokens, so nothing here could ever authenticate to npmjs.com.
 */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_(config|package|lifecycle)_/.test(key)) continue;
    if (/^(NPM_TOKEN|NODE_AUTH_TOKEN|NPM_CONFIG__AUTH.*)$/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    CI: process.env.CI ?? 'true',
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    ...extra,
  };
}

/** A node_modules above the temp dir would let consumers resolve what they never installed. */
async function checkNoAncestorNodeModules(dir) {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if (await stat(join(d, 'node_modules')).catch(() => undefined)) {
      throw new Error(
        `${join(d, 'node_modules')} exists above the temp dir: consumers could resolve packages from it. Set TMPDIR elsewhere.`,
      );
    }
    if (d === parsePath(d).root) return;
  }
}

async function main() {
  let opts;
  try {
    opts = options();
  } catch (error) {
    console.error(`release:verify: ${error.message}\n\n${HELP}`);
    process.exit(2);
  }
  const temp = await mkdtemp(join(tmpdir(), 'seblock-release-verify-'));
  const paths = {
    registry: join(temp, 'registry'),
    source: join(temp, 'source'),
    consumers: join(temp, 'consumers'),
    logs: join(temp, 'logs'),
  };
  await mkdir(paths.logs, { recursive: true });
  let registry;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    stopAllCommands();
    await registry?.stop();
    if (opts.keep) console.log(`   kept ${temp}`);
    else await rm(temp, { recursive: true, force: true, maxRetries: 3 });
  };
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      console.error(`\n✖ release:verify interrupted by ${signal}: cleaning up`);
      cleanup().finally(() => process.exit(code));
    });
  }

  let failed = false;
  try {
    await step('preflight', async () => {
      note(`node ${process.version}, temp dir ${temp}`);
      const pnpm = (await run('pnpm', ['--version'], { cwd: REPO_ROOT, env: cleanEnv() })).trim();
      note(`pnpm ${pnpm}`);
      await checkNoAncestorNodeModules(temp);
      note(`consumers: ${opts.consumers.map((c) => c.id).join(', ')}`);
    });

    registry = await step('start Verdaccio on 127.0.0.1 (no uplinks)', async () => {
      const started = await startRegistry(paths.registry);
      note(`${started.url} answers /-/ping; throwaway user registered, token in hand`);
      return started;
    });

    await step('scratch copy of the repository', () =>
      prepareSource({
        repoRoot: REPO_ROOT,
        source: opts.source,
        dir: paths.source,
        log: join(paths.logs, 'source.log'),
      }),
    );

    const inSource = (command, args, extra = {}) =>
      run(command, args, {
        cwd: paths.source,
        log: join(paths.logs, 'source.log'),
        ...extra,
        env: cleanEnv(extra.env),
      });

    await step('pnpm install --frozen-lockfile', () =>
      inSource('pnpm', ['install', '--frozen-lockfile']),
    );
    await step('pnpm build', () => inSource('pnpm', ['build']));

    const version = await step(`changeset version --snapshot ${SNAPSHOT_TAG}`, async () => {
      const packages = await publicPackages(paths.source);
      if (packages.length === 0) throw new Error('no public package in packages/ or apps/');
      const outside = packages.filter((p) => !p.name.startsWith(SCOPE));
      if (outside.length > 0) {
        // Only @seblock/* is routed to Verdaccio; anything else would go to npmjs.com.
        throw new Error(
          `public packages outside ${SCOPE}*: ${outside.map((p) => p.name).join(', ')}`,
        );
      }
      await ensureChangeset(paths.source, packages);
      await inSource('pnpm', ['changeset', 'version', '--snapshot', SNAPSHOT_TAG]);
      const bumped = await publicPackages(paths.source);
      const versions = new Set(bumped.map((p) => p.manifest.version));
      for (const p of bumped) note(`${p.name}@${p.manifest.version}`);
      if (versions.size !== 1) {
        throw new Error(`the fixed group should give one version, got ${[...versions].join(', ')}`);
      }
      const [only] = versions;
      if (!only.includes(`-${SNAPSHOT_TAG}-`)) throw new Error(`${only} is not a snapshot version`);
      return only;
    });

    const published = await step(
      `changeset publish --tag ${SNAPSHOT_TAG} to Verdaccio`,
      async () => {
        const host = registry.url.replace(/^http:/, '');
        await appendFile(
          join(paths.source, '.npmrc'),
          `\n# release:verify: publish @seblock/* to the throwaway registry\n${SCOPE.slice(0, -1)}:registry=${registry.url}\n${host}:_authToken=${registry.token}\n`,
        );
        const env = { [`npm_config_${SCOPE.slice(0, -1)}:registry`]: registry.url };
        const seen = (
          await inSource('pnpm', ['config', 'get', `${SCOPE.slice(0, -1)}:registry`], { env })
        ).trim();
        if (seen !== registry.url) {
          throw new Error(
            `pnpm would publish @seblock/* to ${seen}, not to ${registry.url}: refusing`,
          );
        }
        note(`pnpm config get @seblock:registry → ${seen}`);
        await inSource('pnpm', ['changeset', 'publish', '--tag', SNAPSHOT_TAG, '--no-git-tag'], {
          env,
        });
        return publicPackages(paths.source);
      },
    );

    await step('every @seblock/* package is in the registry', async () => {
      for (const pkg of published) {
        const doc = await registry.packument(pkg.name);
        if (!doc) throw new Error(`${pkg.name} is not in the registry`);
        if (doc['dist-tags']?.[SNAPSHOT_TAG] !== version) {
          throw new Error(
            `${pkg.name}: dist-tag ${SNAPSHOT_TAG} is ${doc['dist-tags']?.[SNAPSHOT_TAG]}, expected ${version}`,
          );
        }
        const manifest = doc.versions[version];
        const deps = {
          ...manifest.dependencies,
          ...manifest.peerDependencies,
          ...manifest.optionalDependencies,
        };
        for (const [name, range] of Object.entries(deps)) {
          if (String(range).startsWith('workspace:'))
            throw new Error(`${pkg.name} was published with ${name}: ${range}`);
          if (name.startsWith(SCOPE) && range !== version) {
            throw new Error(
              `${pkg.name} depends on ${name}@${range}, not on the same release ${version}`,
            );
          }
        }
        const tarball = await registry.tarball(manifest.dist.tarball);
        const files = tarballFiles(tarball);
        const missing = missingTargets(manifest, files);
        if (missing.length > 0) {
          throw new Error(
            `${pkg.name}@${version}: the published package.json points at files its tarball does not contain: ${missing.join(', ')}`,
          );
        }
        note(
          `${pkg.name}@${version}: tag ${SNAPSHOT_TAG}; ${files.length} files, ${(tarball.byteLength / 1024).toFixed(0)} KiB; every exports/bin target present`,
        );
      }
    });

    let chromiumSettings;
    const chromium = async () => {
      // The repository's one definition of how to launch Chromium (tooling/chromium.ts
      // re-exports it), from the scratch copy's build.
      if (!chromiumSettings) {
        const file = join(paths.source, 'packages/se-conformance/dist/browser/chromium.js');
        if (!(await stat(file).catch(() => undefined))) {
          throw new Error(
            `${file} is missing: the Chromium launch settings come from se-conformance's build (tooling/chromium.ts re-exports them)`,
          );
        }
        const settings = await import(pathToFileURL(file).href);
        const missing = settings.chromiumUnavailableReason();
        if (missing) throw new Error(missing);
        chromiumSettings = { executablePath: settings.CHROMIUM_PATH, args: settings.CHROMIUM_ARGS };
      }
      return chromiumSettings;
    };

    // Consumers are independent: run them all and report every failure, not just the first.
    const failures = [];
    for (const consumer of opts.consumers) {
      await step(consumer.title, async () => {
        const unpublished = consumer.seblock.filter((n) => !published.some((p) => p.name === n));
        if (unpublished.length > 0) {
          throw new Error(`needs ${unpublished.join(', ')}, which this release does not contain`);
        }
        const dir = join(paths.consumers, consumer.id);
        await createConsumer(consumer, dir, { version, registryUrl: registry.url });
        const log = join(paths.logs, `${consumer.id}.log`);
        // onnxruntime-node's postinstall would fetch CUDA libraries from outside the registry;
        // its install script reads this variable (an `onnxruntime-node-install` key in .npmrc
        // works too, but npm warns that it will stop passing unknown keys on).
        const exec = (command, args, extra = {}) =>
          run(command, args, {
            cwd: dir,
            env: cleanEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip' }),
            log,
            ...extra,
          });
        const installStart = performance.now();
        await exec('npm', ['install', '--no-audit', '--no-fund']);
        const installed = await installedSeblock(dir);
        note(
          `npm install: ${((performance.now() - installStart) / 1000).toFixed(1)}s; ${installed.map((i) => `${i.name}@${i.version}`).join(', ')}`,
        );
        for (const i of installed) {
          if (i.version !== version)
            throw new Error(`${i.path} is ${i.name}@${i.version}, expected ${version}`);
        }
        const cores = installed.filter((i) => i.name === `${SCOPE}se-core`);
        if (cores.length > 1)
          throw new Error(
            `${cores.length} copies of se-core installed: ${cores.map((c) => c.path).join(', ')}`,
          );
        await consumer.check({ dir, exec, chromium, version });
      }).catch((error) => {
        printFailure(error);
        failures.push(consumer.title);
      });
    }
    if (failures.length > 0) {
      const error = new Error(
        `${failures.length} of ${opts.consumers.length} consumer checks failed:\n    - ${failures.join('\n    - ')}`,
      );
      error.alreadyShown = true;
      throw error;
    }
  } catch (error) {
    failed = true;
    printFailure(error);
  } finally {
    await step('stop Verdaccio and remove temp dirs', cleanup).catch((error) => {
      failed = true;
      printFailure(error);
    });
    printTimings();
  }
  if (failed) {
    console.error(
      `\n✖ release:verify failed (see the step above)${opts.keep ? '' : "; --keep keeps the temp dir, with every command's full log in logs/"}`,
    );
    process.exitCode = 1;
  } else {
    console.log(
      `\n✔ release:verify passed: every @seblock/* package installs and runs from a registry`,
    );
  }
}

/** Writes package.json, .npmrc and the consumer's files into a fresh directory. */
async function createConsumer(consumer, dir, { version, registryUrl }) {
  await mkdir(dir, { recursive: true });
  const dependencies = {
    ...Object.fromEntries(consumer.seblock.map((name) => [name, version])),
    ...consumer.dependencies,
  };
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumer-${consumer.id}`, private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  const npmrc = [
    `${SCOPE.slice(0, -1)}:registry=${registryUrl}`,
    'audit=false',
    'fund=false',
    'update-notifier=false',
  ];
  await writeFile(join(dir, '.npmrc'), `${npmrc.join('\n')}\n`);
  for (const [target, template] of Object.entries(consumer.files)) {
    await cp(join(HERE, 'consumers', template), join(dir, target));
  }
  note(
    `${dir}: ${Object.entries(dependencies)
      .map(([n, v]) => `${n}@${v}`)
      .join(' ')}`,
  );
}

/** Every @seblock/* package under dir/node_modules, nested ones included. */
async function installedSeblock(dir) {
  const found = [];
  const visit = async (modules) => {
    const scope = join(modules, SCOPE.slice(0, -1));
    for (const name of await readdir(scope).catch(() => [])) {
      const path = join(scope, name);
      const manifest = await readJson(join(path, 'package.json'));
      found.push({ name: manifest.name, version: manifest.version, path });
      await visit(join(path, 'node_modules'));
    }
    for (const entry of await readdir(modules, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('@')) {
        for (const inner of await readdir(join(modules, entry.name)).catch(() => [])) {
          if (entry.name !== SCOPE.slice(0, -1))
            await visit(join(modules, entry.name, inner, 'node_modules'));
        }
      } else await visit(join(modules, entry.name, 'node_modules'));
    }
  };
  await visit(join(dir, 'node_modules'));
  return found;
}

await main();
