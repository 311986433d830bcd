/**
 * How a chat run ends, shared by every UI (relay or LAN): exactly once, whichever of /leave, EOF, Ctrl-C, SIGTERM or a
 * refusal comes first, and always with the /leave datagram flushed before the socket closes (the seed's
 * chat.py sends /leave on EOF and Ctrl-C too, so the others see "left" instead of a 30 s time-out).
 */
/** What a run ends: a ChatClient, or a LanChat (whose goodbye takes no message). */
export interface LeavingClient {
  leave(message: string): Promise<void>;
  close(): Promise<void>;
}

export class ChatExit {
  /** Settles with the process exit code once the client is closed. */
  readonly code: Promise<number>;
  private settle: (code: number) => void = () => {};
  private endingNow = false;

  /** `cleanup` releases the UI's own resources (readline, signal handlers); it runs once, first. */
  constructor(
    private readonly client: LeavingClient,
    private readonly cleanup: () => void,
  ) {
    this.code = new Promise<number>((resolve) => {
      this.settle = resolve;
    });
  }

  get ending(): boolean {
    return this.endingNow;
  }

  /**
   * Ends the run. The session sends /leave (with `message`, the relay's quit reason, if given) only if the
   * relay may know us (not after a refusal).
   */
  end(code: number, message = ''): void {
    if (this.endingNow) return;
    this.endingNow = true;
    this.cleanup();
    void this.finish(code, message);
  }

  private async finish(code: number, message: string): Promise<void> {
    try {
      await this.client.leave(message);
    } finally {
      await this.client.close();
      this.settle(code);
    }
  }
}

/** Runs `handler` on SIGINT or SIGTERM instead of dying; returns the function that removes the handlers. */
export function onTerminationSignals(handler: () => void): () => void {
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
