/**
 * Where `udpchat top` scrapes: `--metrics HOST:PORT` (as given to the relay) or the whole URL the relay
 * prints at start (`http://127.0.0.1:9100/metrics`), since that is what a person copies.
 */
import { httpUrl, parseHostPort } from '../observability/http-address.ts';

export type SourceResult =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly message: string };

export function metricsSourceUrl(text: string): SourceResult {
  if (/^https?:\/\//i.test(text)) return fromUrl(text);
  const parsed = parseHostPort(text);
  if (!parsed.ok) return parsed;
  if (parsed.address.port === 0)
    return { ok: false, message: 'port 0 cannot be scraped; give the port the relay printed' };
  return { ok: true, url: httpUrl(parsed.address, '/metrics') };
}

function fromUrl(text: string): SourceResult {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `not a URL: "${text}"` };
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/metrics';
  return { ok: true, url: url.toString() };
}
