import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeImage, ImageDecodeError, imageFormatOf, renderSample } from '../src/index.js';
import { byteDifference, sampleBytes } from './support/fixtures.js';

describe('decodeImage', () => {
  const picture = renderSample();

  it('reads the committed PNG sample as exactly the rendered picture', () => {
    const png = decodeImage(sampleBytes('sample.png'), 'sample.png');
    expect([png.width, png.height, png.format]).toEqual([384, 288, 'PNG']);
    expect(byteDifference(png.data, picture.data).worst).toBe(0);
  });

  it('reads the committed JPEG sample as the rendered picture, up to JPEG loss', () => {
    const jpg = decodeImage(sampleBytes('sample.jpg'), 'sample.jpg');
    expect([jpg.width, jpg.height, jpg.format]).toEqual([384, 288, 'JPEG']);
    let sum = 0;
    for (let i = 0; i < jpg.data.length; i++)
      sum += Math.abs((jpg.data[i] as number) - (picture.data[i] as number));
    // Quality 90: about one level on average (measured 1.0); a wrong colour transform is ~50.
    expect(sum / jpg.data.length).toBeLessThan(2);
  });

  it('turns grey, grey + alpha, RGBA, 16-bit and palette PNGs into RGB', () => {
    const [w, h] = [3, 2];
    const grey = Uint8Array.of(0, 10, 20, 30, 40, 255);
    const cases: {
      data: Uint8Array | Uint16Array;
      channels: number;
      depth: 8 | 16;
      want: number[];
    }[] = [
      { data: grey, channels: 1, depth: 8, want: [...grey].flatMap((v) => [v, v, v]) },
      {
        data: Uint8Array.from([...grey].flatMap((v) => [v, 7])),
        channels: 2,
        depth: 8,
        want: [...grey].flatMap((v) => [v, v, v]),
      },
      {
        data: Uint8Array.from([...grey].flatMap((v) => [v, 255 - v, 3, 0])),
        channels: 4,
        depth: 8,
        // Alpha is dropped, as PIL's convert('RGB') does.
        want: [...grey].flatMap((v) => [v, 255 - v, 3]),
      },
      {
        data: Uint16Array.from([...grey].flatMap((v) => [v * 257, 65535, 128])),
        channels: 3,
        depth: 16,
        want: [...grey].flatMap((v) => [v, 255, 0]),
      },
    ];
    for (const c of cases) {
      const bytes = encodePng({
        width: w,
        height: h,
        data: c.data,
        channels: c.channels,
        depth: c.depth,
      });
      expect(
        [...decodeImage(bytes, 'x.png').data],
        `${c.channels} channels, ${c.depth} bits`,
      ).toEqual(c.want);
    }
    const palette = encodePng({
      width: w,
      height: h,
      data: Uint8Array.of(0, 1, 2, 2, 1, 0),
      channels: 1,
      depth: 8,
      palette: [
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
      ],
    });
    expect([...decodeImage(palette, 'p.png').data.subarray(0, 9)]).toEqual([
      255, 0, 0, 0, 255, 0, 0, 0, 255,
    ]);
    const oneBit = encodePng({
      width: 10,
      height: 1,
      data: Uint8Array.of(0b10110000, 0b01000000),
      channels: 1,
      depth: 1,
    });
    expect([...decodeImage(oneBit, 'b.png').data].filter((_, i) => i % 3 === 0)).toEqual([
      255, 0, 255, 255, 0, 0, 0, 0, 0, 255,
    ]);
  });

  it('refuses what is not a PNG or JPEG, naming the file and its first bytes', () => {
    const text = new TextEncoder().encode('hello, world');
    expect(imageFormatOf(text)).toBeUndefined();
    expect(imageFormatOf(sampleBytes('sample.jpg'))).toBe('JPEG');
    expect(() => decodeImage(text, 'notes.png')).toThrow(ImageDecodeError);
    expect(() => decodeImage(text, 'notes.png')).toThrow(
      'notes.png: expected a PNG or JPEG image, received 12 bytes starting 68 65 6c 6c 6f 2c 20 77',
    );
    expect(() => decodeImage(new Uint8Array(0), 'empty.jpg')).toThrow('received an empty file');
  });

  it('refuses a damaged PNG or JPEG with a typed error, not a decoder crash', () => {
    const png = sampleBytes('sample.png');
    const jpg = sampleBytes('sample.jpg');
    expect(() => decodeImage(png.subarray(0, 200), 'cut.png')).toThrow(
      /^cut\.png: expected a PNG or JPEG image, received a damaged PNG/,
    );
    expect(() => decodeImage(jpg.subarray(0, 300), 'cut.jpg')).toThrow(
      /^cut\.jpg: expected a PNG or JPEG image, received a damaged JPEG/,
    );
    let error: unknown;
    try {
      decodeImage(png.subarray(0, 200), 'cut.png');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).field).toBe('cut.png');
  });

  it('does not modify the bytes it is given', () => {
    const png = sampleBytes('sample.png');
    const copy = png.slice();
    decodeImage(png, 'sample.png');
    expect(byteDifference(png, copy).differing).toBe(0);
  });
});
