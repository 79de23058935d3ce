// kefu-test: postgres only (it starts or uses a PostgreSQL server: the PGlite pass would repeat it)
/**
 * kill -9 in the middle of a burst of writes, then a restart on the same database:
 * every write the client saw acknowledged is still there, every change still has its event, and every
 * event delivery that was pending when the process died (realtime pushes, outbox mail) runs after the
 * restart. On embedded PGlite the restarted process must also take over the dead one's lock file.
 */
import { after, describe, it } from 'node:test';
import { openDatabase } from '../db/client.ts';
import { testPostgres, type TestPostgres } from '../testing/spawn-node.ts';
import { cleanups, crashAndRecover, runCleanups } from './crash-scenario.ts';

after(runCleanups);

describe('kill -9 during a burst of writes', () => {
  it('PostgreSQL: acknowledged writes survive and pending deliveries run after restart', { timeout: 240_000 }, async (t) => {
    let server: TestPostgres | null;
    try {
      server = await testPostgres();
    } catch (err) {
      t.skip(`!! SKIPPED: could not start PostgreSQL: ${(err as Error).message}`);
      return;
    }
    if (!server) {
      t.skip('!! SKIPPED: no PostgreSQL (KEFU_TEST_PG_URL unset and no server binaries: apt-get install postgresql)');
      return;
    }
    cleanups.push(() => server.stop());
    const { url, drop } = await server.createDatabase('kefu_crash');
    cleanups.push(drop);
    const open = () => openDatabase({ url, poolSize: 2 });
    await crashAndRecover(t, {
      // A stable node id, as a StatefulSet or compose service gives: the restarted node knows the dead
      // one's claims are its own and retries them at once (with host:pid they wait out the 60 s lock).
      env: { DATABASE_URL: url, KEFU_NODE_ID: 'crash-node' },
      open,
      async openAsLeftByCrash() {
        const database = await open();
        return { database, done: () => database.close() };
      },
    });
  });
});
