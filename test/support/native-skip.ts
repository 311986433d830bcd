/** Why a test of the native addon skips here, or false when the addon (the part under test) is loaded. */
export function nativeSkip(available: boolean): string | false {
  if (available) return false;
  return process.env.UDPCHAT_NATIVE === 'off'
    ? 'UDPCHAT_NATIVE=off forces the JavaScript path'
    : 'the native addon is not built on this machine (see the npm install output)';
}
