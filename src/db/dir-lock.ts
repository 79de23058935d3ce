import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite is one process's database: a second process on the same directory would silently lose
 * writes. A lock file holding the owner's pid makes the second one refuse to start.
 * A lock left by a dead process (kill -9) is taken over.
 */
export function acquireDirLock(dir: string): () => void {
  const file = path.join(dir, 'kefu.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try { if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file); } catch { /* already gone */ }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new DataDirLockedError(dir, owner);
      }
      fs.rmSync(file, { force: true }); // stale lock from a process that died
    }
  }
  throw new Error(`could not lock ${dir}`);
}

export class DataDirLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`The data directory ${path.resolve(dir)} is in use by another Kefu process (pid ${pid}). ` +
      'Stop that process first, or set KEFU_DATA_DIR to another directory, or DATABASE_URL to use PostgreSQL.');
  }
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}
