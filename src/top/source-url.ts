/**
 * Where `udpchat top` scrapes: `--metrics HOST:PORT` (as given to the relay) or the whole URL the relay
 * prints at start (`http://127.0.0.1:9100/metrics`), since that is what a person copies.
 */
import { UsageError } from '../cli/usage-error.ts';
import { hostPort, type ValueType } from '../cli/values.ts';
import { httpUrl } from '../observability/http-address.ts';

/** HOST:PORT as the relay's --metrics takes it; port 0 (bind anywhere) names no relay to scrape. */
const relayMetricsAddress = hostPort({ hosts: 'ip-or-name', zeroPort: true });

/** `--metrics` for `udpchat top`: the URL to scrape. */
export const metricsSource: ValueType<string> = {
  placeholder: 'HOST:PORT',
  format: (url) => url,
  parse(text, name) {
    if (/^https?:\/\//i.test(text)) return fromUrl(text, name);
    const address = relayMetricsAddress.parse(text, name);
    if (address.port === 0)
      throw new UsageError('bad-value', `${name}: port 0 cannot be scraped; give the port the relay printed`);
    return httpUrl(address, '/metrics');
  },
};

function fromUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('bad-value', `${name} must be HOST:PORT or an http:// URL, got "${text}"`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/metrics';
  return url.toString();
}
