/**
 * The coordinator's side of the worker processes: forks them, sends requests and matches each reply to
 * its request. A worker that dies or answers with an error fails the request that was waiting on it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerReply, WorkerReplyBody, WorkerRequest } from './messages.ts';

/** The worker module, worker/worker.js when built (worker/worker.ts under tsx, which forks inherit). */
const WORKER_ENTRY: string = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './worker/worker.ts' : './worker/worker.js', import.meta.url),
);

type Pending = { resolve: (body: WorkerReplyBody) => void; reject: (error: Error) => void };

/** Distributes Omit over the request union, so each request type keeps its own fields. */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;
type BodyOf<T extends WorkerReplyBody['type']> = Extract<WorkerReplyBody, { type: T }>;

class WorkerHandle {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited = false;

  constructor(
    readonly index: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: WorkerReply) => this.settle(message));
    child.on('exit', (code, signal) => this.failAll(`worker ${index} exited (${code ?? signal})`));
    child.on('error', (error) => this.failAll(`worker ${index}: ${error.message}`));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  request<T extends WorkerReplyBody['type']>(body: RequestBody, expect: T): Promise<BodyOf<T>> {
    if (this.exited) return Promise.reject(new Error(`worker ${this.index} is not running`));
    const id = this.nextId++;
    return new Promise<WorkerReplyBody>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...body, id });
    }).then((reply) => {
      if (reply.type === 'error') throw new Error(`worker ${this.index}: ${reply.message}`);
      if (reply.type !== expect) throw new Error(`worker ${this.index}: "${reply.type}", not "${expect}"`);
      return reply as BodyOf<T>;
    });
  }

  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      // Closing the IPC channel makes the worker close its sockets and exit; SIGKILL if it does not.
      this.child.disconnect();
      setTimeout(() => this.child.kill('SIGKILL'), 5_000).unref();
    });
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    waiting.resolve(reply);
  }

  private failAll(reason: string): void {
    this.exited = true;
    for (const waiting of this.pending.values()) waiting.reject(new Error(reason));
    this.pending.clear();
  }
}

export class WorkerPool {
  private constructor(readonly workers: readonly WorkerHandle[]) {}

  static start(count: number): WorkerPool {
    const workers: WorkerHandle[] = [];
    for (let index = 0; index < count; index++) {
      const child = fork(WORKER_ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      workers.push(new WorkerHandle(index, child));
    }
    return new WorkerPool(workers);
  }

  get pids(): number[] {
    return this.workers.flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
  }

  /** The same kind of request to every worker, `bodyFor` giving each its own fields; replies in order. */
  all<T extends WorkerReplyBody['type']>(
    bodyFor: (index: number) => RequestBody,
    expect: T,
  ): Promise<BodyOf<T>[]> {
    return Promise.all(this.workers.map((w) => w.request(bodyFor(w.index), expect)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}
