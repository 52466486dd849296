/**
 * Progress on stderr: a cli-progress bar when stderr is a terminal, a plain line every
 * few documents / seconds otherwise (logs, CI), nothing in 'none' mode. Never writes stdout.
 */
import type { SingleBar } from 'cli-progress';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface Progress {
  start(label: string, total: number): void;
  /** Advance by one document; `sentences` is added to the running sentence count. */
  tick(sentences: number, note?: string): void;
  /** Print a message without breaking the bar. */
  log(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  mode: ProgressMode;
  stream?: NodeJS.WriteStream;
  /** Plain mode: print every `everyDocs` documents or `everySeconds`, whichever comes first. */
  everyDocs?: number;
  everySeconds?: number;
}

const noop: Progress = { start() {}, tick() {}, log() {}, stop() {} };

export async function createProgress(opts: ProgressOptions): Promise<Progress> {
  const stream = opts.stream ?? process.stderr;
  const mode = opts.mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : opts.mode;
  if (mode === 'none') return noop;
  if (mode === 'bar') {
    const { default: cliProgress } = await import('cli-progress');
    let bar: SingleBar | undefined;
    let sentences = 0;
    return {
      start(label, total) {
        sentences = 0;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: `${label.padEnd(10)} [{bar}] {value}/{total} documents | {sentences} sentences | {eta_formatted} left`,
            hideCursor: true,
            clearOnComplete: false,
            etaBuffer: 20,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { sentences: 0 });
      },
      tick(n) {
        sentences += n;
        bar?.increment(1, { sentences });
      },
      log(line) {
        if (bar) {
          stream.write('\r\x1b[K' + line + '\n');
          bar.render();
        } else stream.write(line + '\n');
      },
      stop() {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  const everyDocs = opts.everyDocs ?? 25;
  const everyMs = (opts.everySeconds ?? 10) * 1000;
  let label = '';
  let total = 0;
  let done = 0;
  let sentences = 0;
  let last = 0;
  let lastDone = 0;
  const line = () => `${label}: ${done}/${total} documents, ${sentences} sentences`;
  return {
    start(l, t) {
      label = l;
      total = t;
      done = sentences = lastDone = 0;
      last = Date.now();
    },
    tick(n) {
      done++;
      sentences += n;
      const now = Date.now();
      if (done === total || done - lastDone >= everyDocs || now - last >= everyMs) {
        stream.write(line() + '\n');
        last = now;
        lastDone = done;
      }
    },
    log(l) {
      stream.write(l + '\n');
    },
    stop() {},
  };
}
