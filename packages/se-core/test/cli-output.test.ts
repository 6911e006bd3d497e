import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { oneLine, processIO, terminalSafe } from '../src/cli/output.js';

/** A stand-in for a process stream: records writes, can emit 'error'. */
class FakeStream extends EventEmitter {
  readonly written: string[] = [];
  write(text: string): boolean {
    this.written.push(text);
    return true;
  }
}

function setup() {
  const stdout = new FakeStream();
  const stderr = new FakeStream();
  const exits: number[] = [];
  const io = processIO(
    stdout as unknown as NodeJS.WritableStream,
    stderr as unknown as NodeJS.WritableStream,
    (code) => exits.push(code),
  );
  return { io, stdout, stderr, exits };
}

const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

describe('processIO', () => {
  it('exits 0, quietly, when the reader of stdout or stderr goes away', () => {
    const { stdout, stderr, exits } = setup();
    stdout.emit('error', epipe());
    stderr.emit('error', epipe());
    expect(exits).toEqual([0, 0]);
    expect(stderr.written).toEqual([]);
  });

  it('lets any other stream error through', () => {
    const { stdout, exits } = setup();
    const error = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    expect(() => stdout.emit('error', error)).toThrow('disk full');
    expect(exits).toEqual([]);
  });

  it('writes lines with terminal control characters escaped, newlines and tabs kept', () => {
    const { io, stdout, stderr } = setup();
    io.out('name\u001b[2J\r\tok\nnext');
    io.err('\u0007bell');
    expect(stdout.written).toEqual(['name\\u001b[2J\\u000d\tok\nnext\n']);
    expect(stderr.written).toEqual(['\\u0007bell\n']);
  });
});

describe('escaping', () => {
  it('oneLine escapes every control character, newline included', () => {
    expect(oneLine('a\nb\u009bc')).toBe('a\\u000ab\\u009bc');
    expect(terminalSafe('a\nb\u009bc')).toBe('a\nb\\u009bc');
    expect(oneLine('plain ✓ text')).toBe('plain ✓ text');
  });
});
