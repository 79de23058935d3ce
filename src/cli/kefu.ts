import { parseArgs } from 'node:util';
import { DataDirLockedError } from '../db/dir-lock.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { AppError } from '../contracts/errors.ts';
import { CliError, cmdCreateTenant, cmdListTenants, cmdResetPassword, withDatabase } from './commands.ts';

const HELP = `kefu — manage a Kefu installation (uses DATABASE_URL or KEFU_DATA_DIR like the server)

  kefu migrate                                   apply database migrations
  kefu tenant create --slug acme --name "Acme" --admin-email a@acme.com [--admin-name N] [--admin-password P] [--locale zh-CN|en]
                                                 create a company and its administrator (prints the login)
  kefu tenant list                               list companies
  kefu reset-password --tenant acme --email a@acme.com [--password P]
                                                 set a new password (random when omitted) and sign the person out everywhere

With the embedded database, stop the server first: only one process may open ./data.`;

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      slug: { type: 'string' }, name: { type: 'string' }, 'admin-email': { type: 'string' }, 'admin-name': { type: 'string' },
      'admin-password': { type: 'string' }, locale: { type: 'string' }, tenant: { type: 'string' }, email: { type: 'string' },
      password: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, sub] = positionals;
  const out = { log: (l: string) => process.stdout.write(`${l}\n`) };
  const need = (key: keyof typeof values) => {
    const v = values[key];
    if (typeof v !== 'string' || !v) throw new CliError(`Missing --${key}.\n\n${HELP}`);
    return v;
  };
  if (!cmd || values.help || cmd === 'help') return out.log(HELP);
  const config = loadConfig();
  if (cmd === 'migrate') {
    return withDatabase(config, async () => out.log('Migrations applied.'));
  }
  if (cmd === 'tenant' && sub === 'create') {
    const locale = values.locale as 'zh-CN' | 'en' | undefined;
    if (locale && locale !== 'zh-CN' && locale !== 'en') throw new CliError('--locale must be zh-CN or en');
    const args = { slug: need('slug'), name: need('name'), adminEmail: need('admin-email'), adminName: values['admin-name'] ?? 'Admin', adminPassword: values['admin-password'], locale };
    if (args.adminPassword !== undefined && args.adminPassword.length < 8) throw new CliError('--admin-password needs at least 8 characters');
    return withDatabase(config, (db) => cmdCreateTenant(db, out, args).then(() => undefined));
  }
  if (cmd === 'tenant' && sub === 'list') return withDatabase(config, (db) => cmdListTenants(db, out));
  if (cmd === 'reset-password') {
    const args = { tenant: need('tenant'), email: need('email'), password: values.password };
    if (args.password !== undefined && args.password.length < 8) throw new CliError('--password needs at least 8 characters');
    return withDatabase(config, (db) => cmdResetPassword(db, out, args));
  }
  throw new CliError(`Unknown command: ${positionals.join(' ')}\n\n${HELP}`);
}

main(process.argv.slice(2)).then(() => process.exit(0), (err) => {
  const known = err instanceof CliError || err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof AppError
    || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`${known ? err.message : err?.stack ?? err}\n`);
  process.exit(known ? 2 : 1);
});
