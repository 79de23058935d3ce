import type pg from 'pg';

const NOTIFY = 'SELECT pg_notify($1, $2)';
/** Notifications per statement at most (two parameters each, far below PostgreSQL's 65,535). */
const MAX_BATCH = 500;
/**
 * Statements out at once, so one slow statement does not hold up the other nodes' pushes behind it
 * (this node's own sockets do not wait for any: local-first.ts).
 */
const IN_FLIGHT = 4;

interface Pending { channel: string; payload: string; resolve: () => void; reject: (err: unknown) => void }

/**
 * The pool Socket.IO's PostgreSQL adapter is given. The adapter sends every emit as its own
 * `SELECT pg_notify($1, $2)` (one round trip and one pool connection each, a chat line costs two or
 * three); here the notifications asked for while a statement is out go together in the next one,
 * `SELECT pg_notify($1, $2), pg_notify($3, $4), …`, a few statements at a time (in order within a
 * statement; across statements no more than the adapter promised with a pool query per emit: chat
 * lines carry their seq). Within one statement PostgreSQL would fold identical notifications into one,
 * so a repeat of one already in the batch waits for the next. Everything else goes to the pool as is.
 */
export function batchedNotifyPool(pool: pg.Pool): pg.Pool {
  let queue: Pending[] = [];
  let out = 0;

  async function flush() {
    if (out >= IN_FLIGHT || !queue.length) return;
    out++;
    const batch: Pending[] = [];
    const seen = new Set<string>();
    const rest: Pending[] = [];
    for (const p of queue) {
      const key = `${p.channel}\u0000${p.payload}`;
      if (batch.length >= MAX_BATCH || seen.has(key) || rest.length) rest.push(p);
      else { seen.add(key); batch.push(p); }
    }
    queue = rest;
    try {
      await pool.query(`SELECT ${batch.map((_p, i) => `pg_notify($${2 * i + 1}, $${2 * i + 2})`).join(', ')}`, batch.flatMap((p) => [p.channel, p.payload]));
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      out--;
      void flush();
    }
  }

  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== 'query') {
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return (text: unknown, params?: unknown[]) => {
        if (text !== NOTIFY || !Array.isArray(params)) return (target.query as (...a: unknown[]) => unknown)(text, params);
        return new Promise<void>((resolve, reject) => {
          queue.push({ channel: String(params[0]), payload: String(params[1]), resolve, reject });
          // the emits of this turn of the event loop join the first statement
          if (out < IN_FLIGHT) setImmediate(() => void flush());
        });
      };
    },
  });
}
