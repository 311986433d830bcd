/**
 * The relay's identity file (docs/PROTOCOL-v2.md, 5.1): `--identity FILE`, or `relay-identity.pem` beside
 * the `--db` file. Created on first start, exclusively (two relays starting at once cannot both write it)
 * and with mode 0600; it holds the Ed25519 private key as PKCS#8 PEM, as `openssl genpkey -algorithm
 * ed25519` writes it. A file that exists but is readable by group or others, or is not an Ed25519 private
 * key, stops the relay with the file's name and the reason, as `ssh` refuses a loose private key.
 */
import { closeSync, constants, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import { RelayIdentity } from '../protocol/v2/relay-identity.ts';

/** The default file name in the state directory (the `--db` file's directory). */
export const DEFAULT_IDENTITY_FILE = 'relay-identity.pem';

const OWNER_ONLY = 0o600;
const GROUP_OR_OTHERS = 0o077;

export class IdentityFileError extends Error {}

export interface LoadedIdentity {
  readonly identity: RelayIdentity;
  /** Where it is kept; null for a throwaway identity (no --identity, no --db). */
  readonly path: string | null;
  /** True when this start created the file. */
  readonly created: boolean;
}

/** The identity file's path: `--identity`, else beside `--db`, else none (a throwaway identity). */
export function identityPath(identity: string | undefined, db: string | undefined): string | null {
  if (identity !== undefined) return identity;
  return db === undefined ? null : join(dirname(db), DEFAULT_IDENTITY_FILE);
}

/** Reads the identity at `path`, creating it on first start; a throwaway one when `path` is null. */
export function loadRelayIdentity(path: string | null, random: RandomSource): LoadedIdentity {
  if (path === null) return { identity: RelayIdentity.generate(random), path: null, created: false };
  const created = createIfAbsent(path, random);
  return { identity: created ?? readIdentity(path), path, created: created !== null };
}

/** A new identity written to `path`, or null when the file already exists. */
function createIfAbsent(path: string, random: RandomSource): RelayIdentity | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, OWNER_ONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw new IdentityFileError(`relay identity ${path}: cannot create it (${reason(error)})`);
  }
  const identity = RelayIdentity.generate(random);
  try {
    writeSync(fd, identity.toPem());
  } finally {
    closeSync(fd);
  }
  return identity;
}

function readIdentity(path: string): RelayIdentity {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new IdentityFileError(`relay identity ${path}: cannot read it (${reason(error)})`);
  }
  if ((mode & GROUP_OR_OTHERS) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new IdentityFileError(
      `relay identity ${path}: mode ${octal} lets others read the private key (chmod 600 ${path})`,
    );
  }
  const identity = RelayIdentity.fromPem(text);
  if (identity === null)
    throw new IdentityFileError(`relay identity ${path}: not an Ed25519 private key (PKCS#8 PEM)`);
  return identity;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
