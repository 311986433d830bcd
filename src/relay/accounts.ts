/**
 * What the relay core knows of registered accounts. The core never reads a file or hashes a secret: an
 * `AccountDirectory` is handed to it at start-up, and checking a secret is a task the binding performs
 * asynchronously (scrypt must not stall the receive loop), reporting the result back to the core.
 */
export interface StoredCredential {
  readonly algorithm: 'scrypt';
  /** base64 */
  readonly salt: string;
  /** base64 */
  readonly hash: string;
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export interface AccountRecord {
  readonly nick: string;
  /** The nickname's look-alike key: the identity the account owns. */
  readonly key: string;
  readonly serverOperator: boolean;
  readonly credential: StoredCredential;
}

export interface AccountDirectory {
  find(nickKey: string): AccountRecord | undefined;
}
