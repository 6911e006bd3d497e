// The scratch copy of the repository that gets installed, built, versioned and
// published. Never the live checkout: `changeset version` rewrites package.json
// files and deletes changesets, and others may be editing the checkout meanwhile.
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readJson, run } from './exec.mjs';
import { note } from './steps.mjs';

const NEVER_COPIED = new Set(['node_modules', '.git', '.turbo', 'dist', 'coverage', 'docs']);

async function gitFiles(source) {
  const out = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: source,
  });
  const files = [];
  for (const file of out.split('\0').filter(Boolean)) {
    // A file deleted in the working tree is still "cached": skip it, as the tree does.
    if (await stat(join(source, file)).catch(() => undefined)) files.push(file);
  }
  return files;
}

async function walk(root, dir = root, files = []) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (NEVER_COPIED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, path, files);
    else files.push(relative(root, path));
  }
  return files;
}

/**
 * Fills `dir` with the repository to release.
 * Without `source`: a clone of `repoRoot` at its committed HEAD.
 * With `source`: that directory as it is on disk (a git work tree's tracked and
 * untracked-but-not-ignored files, or every file but build outputs), committed into a
 * fresh repository so tools that ask git find one.
 */
export async function prepareSource({ repoRoot, source, dir, log }) {
  if (!source) {
    const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: repoRoot })).trim();
    await run('git', ['clone', '--quiet', '--no-checkout', repoRoot, dir], { cwd: repoRoot, log });
    await run('git', ['checkout', '--quiet', '--detach', head], { cwd: dir, log });
    note(`git clone of ${repoRoot} at committed HEAD ${head.slice(0, 12)}`);
    return;
  }
  const isGit = await stat(join(source, '.git')).catch(() => undefined);
  const files = isGit ? await gitFiles(source) : await walk(source);
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    if (file.split('/').some((part) => NEVER_COPIED.has(part))) continue;
    await cp(join(source, file), join(dir, file), { recursive: false, preserveTimestamps: true });
  }
  const git = (...args) => run('git', args, { cwd: dir, log });
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '-A');
  await git(
    '-c',
    'user.name=release-verify',
    '-c',
    'user.email=release-verify@localhost',
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    `snapshot of ${source}`,
  );
  note(`copied ${files.length} files from ${source} (working tree as on disk, not committed HEAD)`);
}

/** The workspace's publishable packages: { name, dir, manifest }. */
export async function publicPackages(dir) {
  const found = [];
  for (const parent of ['packages', 'apps']) {
    const entries = await readdir(join(dir, parent), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const pkgDir = join(dir, parent, entry.name);
      const manifest = await readJson(join(pkgDir, 'package.json')).catch(() => undefined);
      if (manifest && !manifest.private) found.push({ name: manifest.name, dir: pkgDir, manifest });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Adds a changeset bumping every public package when none is pending (snapshot needs one). */
export async function ensureChangeset(dir, packages) {
  const pending = (await readdir(join(dir, '.changeset'))).filter(
    (f) => f.endsWith('.md') && f !== 'README.md',
  );
  if (pending.length > 0) {
    note(`pending changesets: ${pending.join(', ')}`);
    return;
  }
  const front = packages.map((p) => `"${p.name}": patch`).join('\n');
  await writeFile(
    join(dir, '.changeset', 'release-verify-temporary.md'),
    `---\n${front}\n---\n\nTemporary changeset written by release:verify in its scratch copy.\n`,
  );
  note('no pending changeset: wrote a temporary one in the scratch copy');
}

export async function readText(path) {
  return readFile(path, 'utf8');
}
