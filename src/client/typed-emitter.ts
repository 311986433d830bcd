/**
 * A minimal event emitter whose event names and payloads are checked by the compiler. Unlike node:events
 * an unheard 'error' is not thrown: a chat client's errors are values for whoever listens.
 */
export type Listener<Payload> = (payload: Payload) => void;

export class TypedEmitter<Events extends object> {
  private readonly listeners: { [K in keyof Events]?: Set<Listener<Events[K]>> } = {};

  /** Subscribes; returns the matching unsubscribe. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    const set = this.listeners[name] ?? new Set<Listener<Events[K]>>();
    this.listeners[name] = set;
    set.add(listener);
    return () => this.off(name, listener);
  }

  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.listeners[name]?.delete(listener);
  }

  protected emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    // A copy, so a listener that unsubscribes itself does not skip its neighbour.
    for (const listener of [...(this.listeners[name] ?? [])]) listener(payload);
  }
}
