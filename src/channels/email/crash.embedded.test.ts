// kefu-test: pglite only (the embedded database's own behaviour: a PostgreSQL pass would repeat it)
/**
 * kill -9 of a Kefu node while it takes in 500 mails from Dovecot, then a restart on the same database:
 * exactly 500 messages (400 new tickets + 100 replies threaded into them), none twice, none lost.
 * The restarted node takes the dead one's mailbox lease over, finishes what was stored but not yet
 * processed, and fetches the rest from its cursor.
 */
import { after, describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { dovecotOrSkip } from '../../testing/dovecot-server.ts';
import { cleanups, crashAndRecover, runCleanups } from './crash-scenario.ts';

after(runCleanups);

describe('kill -9 while taking in 500 mails', () => {
  it('embedded PGlite: exactly 500 messages after the restart, no duplicates, none lost', { timeout: 360_000 }, async (t) => {
    if (process.env.KEFU_TEST_PG_URL) {
      t.skip('the embedded-PGlite crash test runs in the PGlite pass (KEFU_TEST_PG_URL is set: this is the PostgreSQL pass)');
      return;
    }
    const dovecot = await dovecotOrSkip(t);
    if (!dovecot) return;
    cleanups.push(() => dovecot.stop());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-mailcrash-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const pgliteDir = path.join(dataDir, 'pglite');
    await crashAndRecover(t, dovecot, {
      env: { KEFU_DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir: pgliteDir }),
      async openAsLeftByCrash() {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-mailcrash-copy-'));
        fs.cpSync(pgliteDir, copy, { recursive: true });
        fs.rmSync(path.join(copy, 'kefu.lock'), { force: true });
        const database = await openDatabase({ dataDir: copy, migrate: false });
        return { database, async done() { await database.close(); fs.rmSync(copy, { recursive: true, force: true }); } };
      },
    });
  });

});
