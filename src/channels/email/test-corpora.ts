import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the shared test corpora live (../shared/corpora next to the project, or KEFU_CORPORA). They are
 * never copied into the repository: several licences differ from ours. A test whose corpus is missing
 * skips with a loud banner instead of passing quietly.
 */
export const CORPORA = process.env.KEFU_CORPORA ?? path.resolve(import.meta.dirname, '../../../../shared/corpora');

/** The corpus folder, or a skip reason (printed as a banner) when it is absent. */
export function corpus(name: string): { dir: string; skip: false } | { dir: string; skip: string } {
  const dir = path.join(CORPORA, name);
  if (fs.existsSync(dir)) return { dir, skip: false };
  const skip = `corpus ${name} not found at ${dir}: set KEFU_CORPORA or put ../shared/corpora next to the project`;
  console.log(`\n${'!'.repeat(78)}\n!! SKIPPED: ${skip}\n${'!'.repeat(78)}\n`);
  return { dir, skip };
}

/** Every file under dir (recursively), minus the corpus's own notes and licences, sorted. */
export function corpusFiles(dir: string, accept: (name: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/^(?:SOURCE\.md|LICENSE.*|README.*)$/.test(e.name) && accept(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
