/**
 * Reads the test vectors docs/PROTOCOL-v2.md quotes: every fenced block whose info string is `vectors`
 * holds `name: value` lines, the value lower-case hex (continued on indented lines) or a JSON string.
 */
import { readFileSync } from 'node:fs';
import type { VectorValue } from './wire3-vectors.ts';

export const SPEC_PATH = new URL('../../../docs/PROTOCOL-v2.md', import.meta.url);

const ENTRY = /^([a-z0-9](?:[a-z0-9 #()-]*[a-z0-9)])?):(?: (.*))?$/;
const CONTINUATION = /^ {2,}([0-9a-f]+)$/;

export function specVectors(text: string = readFileSync(SPEC_PATH, 'utf8')): Map<string, VectorValue> {
  const vectors = new Map<string, VectorValue>();
  let inBlock = false;
  let current: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) {
      inBlock = !inBlock && line.trim() === '```vectors';
      current = null;
      continue;
    }
    if (!inBlock || line.trim() === '') continue;
    const continued = CONTINUATION.exec(line);
    const previous = current === null ? undefined : vectors.get(current);
    if (continued !== null && current !== null && previous !== undefined && 'hex' in previous) {
      vectors.set(current, { hex: previous.hex + (continued[1] ?? '') });
      continue;
    }
    const entry = ENTRY.exec(line);
    if (entry === null) throw new Error(`unreadable vector line: ${line}`);
    const name = entry[1] ?? '';
    if (vectors.has(name)) throw new Error(`vector ${name} is quoted twice`);
    const value = (entry[2] ?? '').trim();
    vectors.set(name, value.startsWith('"') ? { text: JSON.parse(value) as string } : { hex: value });
    current = name;
  }
  return vectors;
}

/** A vector as the spec writes it: hex wrapped at 64 digits, text as a JSON string. */
export function formatVector(name: string, value: VectorValue): string {
  if ('text' in value) return `${name}: ${JSON.stringify(value.text)}`;
  if (value.hex.length <= 64) return `${name}: ${value.hex}`;
  const rows = value.hex.match(/.{1,64}/g) ?? [];
  return [`${name}:`, ...rows.map((row) => `  ${row}`)].join('\n');
}
