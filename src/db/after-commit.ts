import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Conn, Db, Tx } from './client.ts';

/**
 * Work that may only happen once a transaction has committed: pushing an event to the consoles' sockets
 * (a push for a change that then rolls back would show what never happened). `trackCommits` wraps a
 * database handle's transaction(); `afterCommit` queues work until the outermost transaction commits,
 * drops it when that transaction, or the savepoint it was queued in, rolls back, and on a plain handle
 * (autocommit: the statement before it has committed) runs it at once.
 */
type Work = (db: Db) => void;
interface Tracked { db: Db; queue: Work[] }
const tracked = new WeakMap<object, Tracked>();

export function trackCommits(db: Db): void {
  const begin = db.transaction.bind(db);
  db.transaction = (async (fn, config) => {
    const queue: Work[] = [];
    const result = await begin((tx) => { track(tx, db, queue); return fn(tx); }, config);
    for (const work of queue) {
      try { work(db); } catch { /* the change has committed; a failed push must not fail it */ }
    }
    return result;
  }) as Db['transaction'];
}

function track(tx: Tx, db: Db, queue: Work[]): void {
  tracked.set(tx, { db, queue });
  const savepoint = tx.transaction.bind(tx);
  tx.transaction = (async (fn: (sub: Tx) => Promise<unknown>) => {
    const inner: Work[] = [];
    const result = await savepoint((sub) => { track(sub, db, inner); return fn(sub); });
    queue.push(...inner); // only a savepoint that was released hands its work on
    return result;
  }) as Tx['transaction'];
}

export function afterCommit(conn: Conn, work: Work): void {
  const t = tracked.get(conn);
  if (t) t.queue.push(work);
  // Running it now would push a change before it is committed, or one that never will be.
  else if (conn instanceof PgTransaction) throw new Error('afterCommit: a transaction not opened through openDatabase');
  else work(conn as Db);
}
