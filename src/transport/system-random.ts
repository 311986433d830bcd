/**
 * The operating system's CSPRNG as the cores' injected RandomSource. Only bindings (RelayServer,
 * ChatClient, the CLI) pass it in; the sans-I/O cores take whatever source they are given, so tests and
 * simulations run on seeded ones.
 */
import { randomBytes } from 'node:crypto';
import type { RandomSource } from '../protocol/v2/crypto.ts';

export const systemRandom: RandomSource = (bytes: number): Uint8Array => new Uint8Array(randomBytes(bytes));
