/**
 * One scrape of a relay's `/metrics` over HTTP: the only network code of `udpchat top`. node:http, not
 * fetch: fetch refuses the Fetch standard's "bad ports" (6000, 6665-6669, 10080, ...), and an operator may
 * well have put the metrics endpoint on one of them.
 */
import { get, type IncomingMessage } from 'node:http';
import { type MetricSet, parsePrometheusText } from './prometheus-text.ts';

/** Far above what a relay serves (a few KiB); a bigger answer is not a udpchat relay. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function scrapeMetrics(url: string, timeoutMs: number, stop?: AbortSignal): Promise<MetricSet> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stop === undefined ? timeout : AbortSignal.any([timeout, stop]);
  return parsePrometheusText(await getText(url, signal));
}

function getText(url: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(url, { signal, headers: { Accept: 'text/plain' } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`HTTP ${response.statusCode ?? '?'} ${response.statusMessage ?? ''}`.trim()));
        return;
      }
      readBody(response).then(resolve, reject);
    });
    request.on('error', (error) => reject(signal.aborted && timedOut(signal) ? new TimeoutError() : error));
  });
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) response.destroy(new Error('the answer is too large to be relay metrics'));
      else chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor() {
    super('no answer (timed out)');
  }
}

function timedOut(signal: AbortSignal): boolean {
  return signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
}

/** What went wrong, in words a person can act on. */
export function describeScrapeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code !== undefined && !error.message.includes(code)) return `${code}: ${error.message}`;
  return error.message;
}
