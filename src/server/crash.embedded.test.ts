// kefu-test: pglite only (the embedded database's own behaviour: a PostgreSQL pass would repeat it)
/**
 * kill -9 in the middle of a burst of writes, then a restart on the same database:
 * every write the client saw acknowledged is still there, every change still has its event, and every
 * event delivery that was pending when the process died (realtime pushes, outbox mail) runs after the
 * restart. On embedded PGlite the restarted process must also take over the dead one's lock file.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/client.ts';
import { cleanups, crashAndRecover, runCleanups } from './crash-scenario.ts';

after(runCleanups);

describe('kill -9 during a burst of writes', () => {
  it('embedded PGlite: acknowledged writes survive, the dead process\'s lock is taken over, pending deliveries run after restart', { timeout: 240_000 }, async (t) => {
    if (process.env.KEFU_TEST_PG_URL) {
      t.skip('the embedded-PGlite crash test runs in the PGlite pass (KEFU_TEST_PG_URL is set: this is the PostgreSQL pass)');
      return;
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-crash-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const pgliteDir = path.join(dataDir, 'pglite');
    const lockFile = path.join(pgliteDir, 'kefu.lock');
    await crashAndRecover(t, {
      env: { KEFU_DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir: pgliteDir }),
      async openAsLeftByCrash() {
        // Opening the directory itself would take over (and then remove) the dead process's lock, which
        // the restart must do on its own: inspect a byte-for-byte copy instead.
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-crash-copy-'));
        fs.cpSync(pgliteDir, copy, { recursive: true });
        const database = await openDatabase({ dataDir: copy, migrate: false });
        return { database, async done() { await database.close(); fs.rmSync(copy, { recursive: true, force: true }); } };
      },
      checkLockBeforeRestart(deadPid) {
        assert.equal(fs.readFileSync(lockFile, 'utf8'), String(deadPid), 'the killed process leaves its lock file behind');
      },
      checkLockAfterRestart(pid) {
        assert.equal(fs.readFileSync(lockFile, 'utf8'), String(pid), 'the restarted process owns the lock');
      },
    });
  });

});
