import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../contracts/errors.ts';

export interface StoredFile { sha256: string; size: number }

const SHA = /^[0-9a-f]{64}$/;

/** "25 MiB", "512 KiB", "300 B": limits as people read them. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} B`;
}

/** The 413 of a file above the limit, naming the limit. */
export function tooLarge(maxBytes: number): AppError {
  const limit = formatBytes(maxBytes);
  return new AppError('too_large', { zh: `单个文件不能超过 ${limit}`, en: `A file may be at most ${limit}` });
}

/**
 * File bytes on disk, named by their SHA-256: `<root>/<sha[0:2]>/<sha>`. The same content stored twice
 * is one file. Rows (one per use, per company) live in the database; this store knows nothing of them.
 */
export class FileStore {
  /** `maxBytes`: the install's largest file (config.attachmentMaxBytes). */
  constructor(readonly root: string, readonly maxBytes: number) {}

  pathOf(sha256: string): string {
    if (!SHA.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` into the store, hashing and counting on the way; more than maxBytes stops the
   * stream with a 413. The bytes go to a temporary file first and are renamed into place, so a file
   * under its final name is always complete.
   */
  async put(source: Readable | Buffer, maxBytes = this.maxBytes): Promise<StoredFile> {
    const tmpDir = path.join(this.root, 'tmp');
    await fsp.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${crypto.randomUUID()}.part`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(tooLarge(maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // Open the file before streaming: a write stream that opens lazily could create it after a failed
    // pipeline's cleanup had already run, leaving a partial file behind (seen in CI on a busy machine).
    const out = (await fsp.open(tmp, 'wx')).createWriteStream();
    try {
      await pipeline(Buffer.isBuffer(source) ? Readable.from([source]) : source, meter, out);
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      if (fs.existsSync(target)) {
        // Already stored: keep the existing file, and mark it fresh so the orphan sweep's grace period
        // covers the row about to be written for it.
        await fsp.rm(tmp, { force: true });
        const now = new Date();
        await fsp.utimes(target, now, now).catch(() => {});
      } else {
        await fsp.rename(tmp, target);
      }
      return { sha256, size };
    } catch (err) {
      if (!out.closed) await once(out, 'close').catch(() => {});
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }

  /** An open read stream of the bytes, or null when no file has that hash. */
  async open(sha256: string): Promise<Readable | null> {
    try {
      const handle = await fsp.open(this.pathOf(sha256), 'r');
      return handle.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return fs.existsSync(this.pathOf(sha256));
  }

  async remove(sha256: string): Promise<void> {
    await fsp.rm(this.pathOf(sha256), { force: true });
  }

  /**
   * Removes a file found by list() unless it was written again after `cutoff` (the same bytes uploaded
   * anew since it was listed). True when it was removed.
   */
  async removeIfOlder(file: string, cutoff: Date): Promise<boolean> {
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat || stat.mtime > cutoff) return false;
    await fsp.rm(file, { force: true });
    return true;
  }

  /** Every stored file with its last-modified time; leftover temporary files are listed with sha256 null. */
  async *list(): AsyncGenerator<{ sha256: string | null; path: string; mtime: Date }> {
    let dirs: fs.Dirent[];
    try {
      dirs = await fsp.readdir(this.root, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const dir of dirs) {
      if (!dir.isDirectory()) continue;
      const isTmp = dir.name === 'tmp';
      if (!isTmp && !/^[0-9a-f]{2}$/.test(dir.name)) continue;
      const full = path.join(this.root, dir.name);
      for (const name of await fsp.readdir(full).catch(() => [] as string[])) {
        const file = path.join(full, name);
        const stat = await fsp.stat(file).catch(() => null);
        if (!stat?.isFile()) continue;
        if (isTmp) yield { sha256: null, path: file, mtime: stat.mtime };
        else if (SHA.test(name) && name.startsWith(dir.name)) yield { sha256: name, path: file, mtime: stat.mtime };
      }
    }
  }
}

/** The install's store: `<dataDir>/files`. */
export function fileStoreFor(config: { dataDir: string; attachmentMaxBytes: number }): FileStore {
  return new FileStore(path.resolve(config.dataDir, 'files'), config.attachmentMaxBytes);
}
