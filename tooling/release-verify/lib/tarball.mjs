// Reads the file list of a published tarball, and checks that every path the
// manifest promises (exports, bin, main, types) is in it. This is the failure
// users meet as ERR_MODULE_NOT_FOUND or TS2307; here it is named at publish time.
import { gunzipSync } from 'node:zlib';

/** File paths in a .tgz, without npm's leading "package/". */
export function tarballFiles(tgz) {
  const tar = gunzipSync(tgz);
  const files = [];
  let paxPath;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from, to) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(text(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(at + 512, at + 512 + size);
    if (type === 'x') {
      // POSIX extended header: "<len> path=<name>\n" records override the next entry's name.
      paxPath = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else {
      const prefix = text(345, 500);
      const name = paxPath ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
      paxPath = undefined;
      if (type === '0' || type === '\0') files.push(name.replace(/^[^/]+\//, ''));
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function targets(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) targets(v, out);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) targets(v, out);
  return out;
}

/** Paths the manifest points at that the tarball lacks (a `*` pattern needs one match). */
export function missingTargets(manifest, files) {
  const have = new Set(files);
  const wanted = [
    ...targets(manifest.exports),
    ...targets(typeof manifest.bin === 'string' ? [manifest.bin] : manifest.bin),
    ...targets([manifest.main, manifest.types, manifest.typings].filter(Boolean)),
  ];
  const missing = [];
  for (const target of new Set(wanted)) {
    const path = target.replace(/^\.\//, '');
    if (path.includes('*')) {
      const [head, tail] = path.split('*');
      if (!files.some((f) => f.startsWith(head) && f.endsWith(tail))) missing.push(target);
    } else if (!have.has(path)) missing.push(target);
  }
  return missing;
}
