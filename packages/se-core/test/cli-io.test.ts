// The CLI on hostile paths and files, and on a real checkpoint: one-line
// errors (never a stack), no hang on a FIFO, no replaced link on -o, a quiet
// exit when the reader of its output goes away. Runs dist/cli/main.js (build first).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTable } from '../src/cli/table.js';
import { encodeSafetensors } from '../src/index.js';
import { FIXTURE_DIR, FIXTURES } from './fixtures/import/load.js';
import { deepArray, fileWithHeader } from './hostile.js';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const fixture = (file: string) => fileURLToPath(new URL(file, FIXTURE_DIR));
let dir: string;
beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build @seblock/se-core first`);
  dir = mkdtempSync(join(tmpdir(), 'se-core-cli-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  // The timeout turns a hang (the FIFO bug) into a failure instead of a stuck suite.
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Exit 1 and exactly one line on stderr, matching `line`. */
function expectOneLineFailure(result: ReturnType<typeof cli>, line: RegExp) {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.slice(0, -1).split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(line);
}

describe('se-core import reads a real checkpoint', () => {
  const mobilenet = FIXTURES.cases.find((c) => c.name === 'torchvision-mobilenetv3');

  it('finds all 9 SE blocks of an uncast torchvision MobileNetV3-Small state_dict', () => {
    expect(mobilenet?.dtypes).toContain('I64'); // BatchNorm counters, as torch saves them
    const { code, stdout, stderr } = cli(
      'import',
      fixture('torchvision-mobilenetv3.safetensors'),
      '--preset',
      'torchvision-mobilenetv3',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.blocks.map((b: { prefix: string }) => b.prefix)).toEqual(
      Object.keys(mobilenet?.blocks ?? {}),
    );
    expect(report.blocks).toHaveLength(9);
    expect(report.ignoredTensors).toContain('features.0.1.num_batches_tracked');
  });

  it('inspect lists every tensor with its dtype, I64 included', () => {
    const { code, stdout } = cli('inspect', fixture('torchvision-mobilenetv3.safetensors'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/features\.0\.1\.num_batches_tracked\s+I64\s+\[\]/);
    expect(stdout).toContain('SE-like tensors in convention fc1-fc2 (kind mlp): 9');
  });

  it('inspect proposes timm-eca for an ECA checkpoint, never its look-alike timm-ceca', () => {
    const path = fileURLToPath(
      new URL('./fixtures/kinds/timm-ecaresnet.safetensors', import.meta.url),
    );
    const { code, stdout } = cli('inspect', path);
    expect(code).toBe(0);
    expect(stdout).toContain('SE-like tensors in convention timm-eca (kind eca): 3');
    expect(stdout).not.toContain('timm-ceca');
    expect(stdout).not.toContain('kind ceca');
  });
});

describe('errors are one line, never a stack trace', () => {
  it('a 20 KB [[[…]]] header', () => {
    const path = join(dir, 'nested.safetensors');
    writeFileSync(path, fileWithHeader(deepArray(10_000)));
    expectOneLineFailure(
      cli('inspect', path),
      /^se-core inspect: SEWeightFormatError: header: expected "\{"/,
    );
  });

  it('a nested value inside the header', () => {
    const path = join(dir, 'nested-shape.safetensors');
    writeFileSync(
      path,
      fileWithHeader(`{"a":{"dtype":"F32","shape":${deepArray(10_000)},"data_offsets":[0,0]}}`),
    );
    expectOneLineFailure(
      cli('import', path, '--preset', 'timm-seresnet'),
      /^se-core import: SEWeightFormatError: tensor a\.shape: .*nesting deeper than 3/,
    );
  });

  it('a tensor name with a newline and a terminal escape cannot forge output lines', () => {
    const path = join(dir, 'forged-name.safetensors');
    writeFileSync(
      path,
      fileWithHeader(
        JSON.stringify({
          'a\nse-core: all good\u001b[2J': { dtype: 'Q9', shape: [], data_offsets: [0, 0] },
        }),
      ),
    );
    const result = cli('inspect', path);
    expectOneLineFailure(
      result,
      /tensor a\\u000ase-core: all good\\u001b\[2J\.dtype: expected one of/,
    );
  });
});

describe('names from a file cannot drive the terminal', () => {
  it('inspect escapes control characters in the tensor table', () => {
    const path = join(dir, 'escape-name.safetensors');
    writeFileSync(path, encodeSafetensors({ 'evil\n\u001b[31mred': { shape: [1], values: [1] } }));
    const { code, stdout } = cli('inspect', path);
    expect(code).toBe(0);
    expect(stdout).toContain('evil\\u000a\\u001b[31mred');
    expect(stdout).not.toContain('\u001b');
  });
});

describe('paths that are not regular files', () => {
  it('a FIFO: refused at once, naming it', () => {
    const fifo = join(dir, 'pipe.safetensors');
    execFileSync('mkfifo', [fifo]);
    expectOneLineFailure(
      cli('inspect', fifo),
      new RegExp(
        `^se-core inspect: SEFileError: ${fifo}: expected a regular file .*, received a FIFO`,
      ),
    );
  });

  it('a symbolic link to /dev/zero: refused before reading', () => {
    const link = join(dir, 'zero.safetensors');
    symlinkSync('/dev/zero', link);
    expectOneLineFailure(
      cli('inspect', link),
      /SEFileError: .*zero\.safetensors: .*received a character device/,
    );
  });

  it('-o onto a symbolic link: refused, the link and its target untouched', () => {
    const real = join(dir, 'real.safetensors');
    writeFileSync(real, 'keep me');
    const link = join(dir, 'out-link.safetensors');
    symlinkSync(real, link);
    const result = cli(
      'import',
      fixture('caffe-senet.safetensors'),
      '--preset',
      'caffe-senet',
      '-o',
      link,
    );
    expectOneLineFailure(
      result,
      /SEFileError: .*out-link\.safetensors: expected a regular file or a path that does not exist yet, received a symbolic link/,
    );
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe('keep me');
  });
});

describe('output into a closed pipe', () => {
  it('`se-core inspect big | head -n 1` exits quietly', () => {
    const path = join(dir, 'many.safetensors');
    const tensors = Object.fromEntries(
      Array.from({ length: 20_000 }, (_, i) => [`layer${i}.weight`, { shape: [1], values: [i] }]),
    );
    writeFileSync(path, encodeSafetensors(tensors));
    const script = `"${process.execPath}" "${MAIN}" inspect "${path}" 2>"${dir}/stderr.txt" | head -n 1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const status = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim();
    expect(readFileSync(join(dir, 'stderr.txt'), 'utf8')).toBe('');
    expect(status).toBe('0');
  });
});

describe('tables of any length', () => {
  it('formats 200 000 rows (Math.max(...rows) overflowed the stack)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [`t${i}`, 'F32']);
    const lines = formatTable(['tensor', 'dtype'], rows);
    expect(lines).toHaveLength(200_002);
    expect(lines[0]).toBe('tensor   dtype');
  });
});
