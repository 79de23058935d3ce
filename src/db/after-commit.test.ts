import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../testing/test-db.ts';
import { afterCommit } from './after-commit.ts';
import type { Database } from './client.ts';

describe('work after commit', () => {
  let database: Database;
  before(async () => { database = await createTestDatabase(); });
  after(async () => { await database.close(); });

  it('runs once the transaction has committed, never inside it', async () => {
    const ran: string[] = [];
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      afterCommit(tx, () => ran.push('a'));
      afterCommit(tx, () => ran.push('b'));
      assert.deepEqual(ran, [], 'not while the transaction is open');
    });
    assert.deepEqual(ran, ['a', 'b']);
  });

  it('drops the work of a transaction that rolls back', async () => {
    const ran: string[] = [];
    await assert.rejects(database.db.transaction(async (tx) => {
      afterCommit(tx, () => ran.push('lost'));
      throw new Error('roll back');
    }));
    assert.deepEqual(ran, []);
  });

  it('a savepoint that rolls back drops only its own work; a released one hands it to the outer transaction', async () => {
    const ran: string[] = [];
    await database.db.transaction(async (tx) => {
      afterCommit(tx, () => ran.push('outer'));
      await assert.rejects(tx.transaction(async (sp) => { afterCommit(sp, () => ran.push('rolled back')); throw new Error('savepoint'); }));
      await tx.transaction(async (sp) => {
        await sp.transaction(async (deeper) => { afterCommit(deeper, () => ran.push('released')); });
      });
      assert.deepEqual(ran, []);
    });
    assert.deepEqual(ran, ['outer', 'released']);
  });

  it('on a plain handle (autocommit) runs at once; a failing piece of work does not fail the commit', async () => {
    const ran: string[] = [];
    afterCommit(database.db, () => ran.push('now'));
    assert.deepEqual(ran, ['now']);
    const result = await database.db.transaction(async (tx) => {
      afterCommit(tx, () => { throw new Error('push failed'); });
      afterCommit(tx, () => ran.push('after the failure'));
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual(ran, ['now', 'after the failure']);
  });
});
