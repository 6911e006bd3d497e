import { SEError } from '@seblock/se-core';
import { UsageError } from '../options.js';
import { palette, wantsColor } from '../ui/palette.js';
import { type ProgressBar, progressBar } from '../ui/progress.js';
import { classify, oneLine } from './classify.js';
import { CLASSIFY_HELP, parseClassifyOptions } from './options.js';
import { renderBackendLine, renderHead, renderResults } from './report.js';

type Out = NodeJS.WritableStream & { isTTY?: boolean };

/** `se-demo classify`: parses, runs, prints; resolves to the exit status. */
export async function classifyMain(argv: readonly string[], out: Out, err: Out): Promise<number> {
  let options: ReturnType<typeof parseClassifyOptions>;
  try {
    options = parseClassifyOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.write(`se-demo classify: ${error.message}\n\n${CLASSIFY_HELP}`);
    return 2;
  }
  if (!options) {
    out.write(CLASSIFY_HELP);
    return 0;
  }
  const p = palette(options.color ?? wantsColor(out, process.env));
  out.write(`${p.bold('SE Blocks: one PyTorch checkpoint, one image, every backend in Node')}\n\n`);
  let download: ProgressBar | undefined;
  try {
    const summary = await classify(options, {
      onDownload(received, total) {
        if (total === undefined) return;
        download ??= progressBar({
          label: 'download',
          total,
          stream: out,
          formatCount: (n) => `${(n / 1e6).toFixed(1)} MB`,
        });
        if (received < total) download.update(received);
        else download.finish();
      },
      onPrepared: (head) => out.write(`${renderHead(head, p)}\n\n`),
      onBackendStart(backend) {
        if (out.isTTY) out.write(`  ${backend.label.padEnd(18)} ${p.dim('loading and running…')}`);
      },
      onBackendDone(result) {
        out.write(`${out.isTTY ? '\r\x1b[K' : ''}${renderBackendLine(result, p)}\n`);
      },
    });
    out.write(`${renderResults(summary, p)}\n`);
    if (options.json) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(options.json, `${JSON.stringify(summary)}\n`);
    }
    return summary.failed.length ? 1 : 0;
  } catch (error) {
    // The packages' typed errors (and this command's, which extend them) are the input's fault.
    err.write(`se-demo classify: ${oneLine(error)}\n`);
    if (error instanceof SEError) return 3;
    if (!(error instanceof Error)) return 1;
    err.write(`${error.stack}\n`);
    return 1;
  }
}
