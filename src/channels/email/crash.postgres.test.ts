// kefu-test: postgres only (it starts or uses a PostgreSQL server: the PGlite pass would repeat it)
/**
 * kill -9 of a Kefu node while it takes in 500 mails from Dovecot, then a restart on the same database:
 * exactly 500 messages (400 new tickets + 100 replies threaded into them), none twice, none lost.
 * The restarted node takes the dead one's mailbox lease over, finishes what was stored but not yet
 * processed, and fetches the rest from its cursor.
 */
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../db/client.ts';
import { dovecotOrSkip } from '../../testing/dovecot-server.ts';
import { testPostgres } from '../../testing/spawn-node.ts';
import { cleanups, crashAndRecover, runCleanups } from './crash-scenario.ts';

after(runCleanups);

describe('kill -9 while taking in 500 mails', () => {
  it('PostgreSQL: exactly 500 messages after the restart, no duplicates, none lost', { timeout: 360_000 }, async (t) => {
    const server = await testPostgres().catch((err) => { t.skip(`!! SKIPPED: could not start PostgreSQL: ${(err as Error).message}`); return undefined; });
    if (server === undefined) return;
    if (!server) { t.skip('!! SKIPPED: no PostgreSQL (KEFU_TEST_PG_URL unset and no server binaries)'); return; }
    cleanups.push(() => server.stop());
    const dovecot = await dovecotOrSkip(t);
    if (!dovecot) return;
    cleanups.push(() => dovecot.stop());
    const { url, drop } = await server.createDatabase('kefu_mailcrash');
    cleanups.push(drop);
    const open = () => openDatabase({ url, poolSize: 2 });
    await crashAndRecover(t, dovecot, {
      // a stable node id: the restarted node knows the dead one's mailbox lease is its own and takes it at once
      env: { DATABASE_URL: url, KEFU_NODE_ID: 'mailcrash-node' },
      open,
      async openAsLeftByCrash() {
        const database = await open();
        return { database, done: () => database.close() };
      },
    });
  });
});
