import { errorJson } from './alpaca-json.js';

/** One REST answer; `delayMs` holds it back (delay-ack), `destroy` resets the connection instead (reset-after-accept). */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly delayMs?: number;
  readonly destroy?: boolean;
  /** Answer with `Connection: close`: the request body was left unread. */
  readonly closeConnection?: boolean;
}

export const json = (status: number, body: unknown): Reply => ({ status, body });
export const fail = (status: number, code: number, message: string): Reply => json(status, errorJson(code, message));
export const messageOf = (r: Reply): string => String((r.body as { message?: string } | undefined)?.message ?? '');
