/** Numbers as `udpchat top` shows them: short enough for a column, exact where it matters (totals). */

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A total or a gauge, exact: `1,234,567`. */
export function formatCount(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '-' : grouping.format(n);
}

/** A per-second rate: `0`, `0.4`, `12`, `1,234`, `123.4k`, `1.2M`. */
export function formatRate(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (n === 0) return '0';
  if (n < 9.95) return n.toFixed(1);
  if (n < 100_000) return grouping.format(n);
  if (n < 10_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** Bytes per second in binary units, as the kernel's buffer sizes are. */
export function formatByteRate(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (n < 1024) return `${Math.round(n)} B/s`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB/s`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB/s`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB/s`;
}

/** Milliseconds with a precision that suits the size: `0.3 ms`, `12 ms`, `1.5 s`. */
export function formatMillis(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** An uptime: `05:04:03`, or `2d 05:04:03`. */
export function formatUptime(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.floor(seconds);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  const days = Math.floor(s / 86_400);
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** A byte total: `512 B`, `1.2 KiB`, `3.4 GiB`. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}
