// kefu-test: pglite only (the embedded database's own behaviour: a PostgreSQL pass would repeat it)
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDirLock, DataDirLockedError } from './dir-lock.ts';
import { launchNode, spawnNode, type SpawnedNode } from '../testing/spawn-node.ts';

const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-lock-'));
  tmpDirs.push(dir);
  return dir;
}

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  assert.ok(pid > 0);
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `pid ${pid} was reused already`);
  return pid;
}

const lockFile = (dir: string) => path.join(dir, 'kefu.lock');

after(() => { for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true }); });

describe('acquireDirLock', () => {
  it('writes our pid to kefu.lock, and releasing removes it (twice is harmless)', () => {
    const dir = tmpDir();
    const release = acquireDirLock(dir);
    assert.equal(fs.readFileSync(lockFile(dir), 'utf8'), String(process.pid));
    release();
    assert.equal(fs.existsSync(lockFile(dir)), false);
    release();
    // and the directory can be locked again
    acquireDirLock(dir)();
  });

  it('refuses a directory locked by a live process, naming the directory and the pid', () => {
    const dir = tmpDir();
    const owner = process.ppid; // alive (it started us) and not us
    fs.writeFileSync(lockFile(dir), String(owner));
    assert.throws(() => acquireDirLock(dir), (err: unknown) => {
      assert.ok(err instanceof DataDirLockedError);
      assert.equal(err.pid, owner);
      assert.equal(err.dir, dir);
      assert.ok(err.message.includes(path.resolve(dir)), err.message);
      assert.ok(err.message.includes(`pid ${owner}`), err.message);
      return true;
    });
    assert.equal(fs.readFileSync(lockFile(dir), 'utf8'), String(owner), 'a refused attempt must leave the owner\'s lock alone');
  });

  it('takes over a stale lock left by a dead process', () => {
    const dir = tmpDir();
    fs.writeFileSync(lockFile(dir), String(deadPid()));
    const release = acquireDirLock(dir);
    assert.equal(fs.readFileSync(lockFile(dir), 'utf8'), String(process.pid));
    release();
    assert.equal(fs.existsSync(lockFile(dir)), false);
  });

  it('takes over an empty or garbled lock file (a crash between create and write)', () => {
    for (const content of ['', 'not-a-pid']) {
      const dir = tmpDir();
      fs.writeFileSync(lockFile(dir), content);
      const release = acquireDirLock(dir);
      assert.equal(fs.readFileSync(lockFile(dir), 'utf8'), String(process.pid));
      release();
    }
  });

  it('takes over a lock holding our own pid (a restarted container is pid 1 again)', () => {
    const dir = tmpDir();
    fs.writeFileSync(lockFile(dir), String(process.pid));
    const release = acquireDirLock(dir);
    assert.equal(fs.readFileSync(lockFile(dir), 'utf8'), String(process.pid));
    release();
  });

  it('release leaves a lock that another process has taken over in the meantime', () => {
    const dir = tmpDir();
    const release = acquireDirLock(dir);
    fs.writeFileSync(lockFile(dir), String(process.ppid));
    release();
    assert.equal(fs.readFileSync(lockFile(dir), 'utf8'), String(process.ppid));
  });
});

describe('PGlite data-dir lock between Kefu processes', () => {
  const nodes: SpawnedNode[] = [];
  after(async () => { await Promise.all(nodes.map((n) => n.kill9())); });

  it('a second process on the same data dir exits with code 2 naming the directory and the owner pid; a dead owner\'s lock is taken over', { timeout: 120_000 }, async () => {
    const dataDir = tmpDir();
    const pgliteDir = path.join(dataDir, 'pglite');
    const first = await spawnNode({ KEFU_DATA_DIR: dataDir });
    nodes.push(first);
    assert.equal(fs.readFileSync(lockFile(pgliteDir), 'utf8'), String(first.pid));

    const second = launchNode({ KEFU_DATA_DIR: dataDir });
    const exit = await Promise.race([second.exited, new Promise<null>((r) => setTimeout(r, 45_000, null).unref())]);
    if (!exit) second.proc.kill('SIGKILL');
    assert.ok(exit, 'the second process neither started nor exited within 45 s');
    assert.equal(exit.code, 2, `exit ${JSON.stringify(exit)}\n${second.stderr()}`);
    assert.ok(second.stderr().includes(path.resolve(pgliteDir)), second.stderr());
    assert.ok(second.stderr().includes(`pid ${first.pid}`), second.stderr());
    assert.match(second.stderr(), /in use by another Kefu process/);
    assert.doesNotMatch(second.stdout(), /Kefu is running/);

    // the first node is unharmed and still owns the directory
    assert.equal((await fetch(`${first.url}/readyz`)).status, 200);
    assert.equal(fs.readFileSync(lockFile(pgliteDir), 'utf8'), String(first.pid));

    // kill -9 leaves the lock file behind; the next start takes it over
    await first.kill9();
    assert.equal(fs.readFileSync(lockFile(pgliteDir), 'utf8'), String(first.pid), 'kill -9 cannot release the lock');
    const third = await spawnNode({ KEFU_DATA_DIR: dataDir });
    nodes.push(third);
    assert.equal(fs.readFileSync(lockFile(pgliteDir), 'utf8'), String(third.pid));
    assert.equal((await fetch(`${third.url}/readyz`)).status, 200);

    // a graceful stop releases it
    const stopped = await third.stop();
    assert.equal(stopped.code, 0, third.stderr());
    assert.equal(fs.existsSync(lockFile(pgliteDir)), false);
  });
});
