// Writes samples/sample.png and samples/sample.jpg from renderSample():
// `pnpm --filter demo-imagenet build && pnpm --filter demo-imagenet sample`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { renderSample } from './render.js';

const picture = renderSample();
const dir = new URL('../../samples/', import.meta.url);
const png = encodePng({
  width: picture.width,
  height: picture.height,
  data: picture.data,
  channels: 3,
  depth: 8,
});
writeFileSync(new URL('sample.png', dir), png);
// jpeg-js encodes RGBA.
const rgba = new Uint8Array(picture.width * picture.height * 4);
for (let p = 0; p < picture.width * picture.height; p++) {
  rgba.set(picture.data.subarray(3 * p, 3 * p + 3), 4 * p);
  rgba[4 * p + 3] = 255;
}
const jpg = jpeg.encode({ width: picture.width, height: picture.height, data: rgba }, 90).data;
writeFileSync(new URL('sample.jpg', dir), jpg);
console.log(
  `${fileURLToPath(dir)}: sample.png ${png.length} bytes, sample.jpg ${jpg.length} bytes`,
);
