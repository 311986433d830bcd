/** `udpchat chaos --trace`: a proxy's trace is one callback for lines; its sockets get a TraceSink writing to it. */
import { formatTrace } from '../protocol/trace-format.ts';
import type { TraceSink } from '../transport/trace-sink.ts';

export function traceOption(trace: ((line: string) => void) | undefined): { trace?: TraceSink } {
  return trace === undefined
    ? {}
    : { trace: (direction, peer, bytes) => trace(formatTrace(direction, peer, bytes)) };
}
