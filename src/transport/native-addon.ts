/**
 * The optional native addon (native/sendmmsg, built by `npm install` when it can be): batched sends,
 * sender threads and the bench's batched receive. Absent (not built, not Linux, or `UDPCHAT_NATIVE=off`),
 * every user takes its JavaScript path; nothing else changes. Each part checks for the functions it needs,
 * so an addon built from an older checkout only lacks the newer parts.
 */
import { createRequire } from 'node:module';

const ADDON_PATH = '../../native/sendmmsg/build/Release/sendmmsg.node';

let loaded: Readonly<Record<string, unknown>> | null | undefined;

/** The addon's exports, loaded once; null when it was not built or `UDPCHAT_NATIVE=off`. */
export function nativeAddonExports(): Readonly<Record<string, unknown>> | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** Whether `exports` has every named function. */
export function hasFunctions(exports: Readonly<Record<string, unknown>>, names: readonly string[]): boolean {
  return names.every((name) => typeof exports[name] === 'function');
}

function load(): Readonly<Record<string, unknown>> | null {
  if (process.env.UDPCHAT_NATIVE === 'off') return null;
  try {
    // The same relative path from src/transport (tsx) and dist/transport (built).
    const exports: unknown = createRequire(import.meta.url)(ADDON_PATH);
    return typeof exports === 'object' && exports !== null ? (exports as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
