import './v8-tuning.ts'; // first: before anything of note is allocated
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from '../db/dir-lock.ts';
import { startKefu } from './kefu.ts';
import { seedDemo } from './seed.ts';

/** `npm start`: one Kefu node. Prints where it listens and how to sign in. */
async function main() {
  const config = loadConfig();
  const kefu = await startKefu({ config });
  const login = config.seedDemo ? await seedDemo(kefu.database.db, config.defaultTenant, config.dataDir) : null;
  const url = await kefu.listen();
  const db = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  const lines = [
    '',
    `  Kefu is running: ${url}   (database: ${db}, node ${kefu.nodeId})`,
    `  Help center:     ${url}/help   (customer portal: articles, search, requests)`,
    `  API docs:        ${url}/api/docs`,
  ];
  if (login) lines.push(`  Admin login:     ${login.email} / ${login.password ?? '(see data/admin-login.txt, or reset with: npx kefu reset-password)'}`);
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    kefu.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await kefu.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`\n${err.message}\n\n`);
    process.exit(2);
  }
  process.stderr.write(`Kefu failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
