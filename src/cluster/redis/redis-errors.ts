/** What a Redis or connection error means for the bus: the credentials, the URL, or the server being away. */
import { ClusterError } from '../bus-error.ts';

export function classifyRedisError(error: unknown, where: string): ClusterError {
  const message = error instanceof Error ? error.message : String(error);
  if (/^(WRONGPASS|NOAUTH)|invalid password|invalid username-password/i.test(message)) {
    return new ClusterError(
      'auth',
      `${where}: the server refused the credentials (${message.split('.')[0]})`,
    );
  }
  if (/DB index is out of range/i.test(message)) {
    return new ClusterError('bad-url', `${where}: the server has no such database (${message})`);
  }
  if (/^(ERR|WRONGTYPE|NOPERM)/.test(message)) return new ClusterError('protocol', `${where}: ${message}`);
  return new ClusterError('unavailable', `${where}: ${message}`);
}
