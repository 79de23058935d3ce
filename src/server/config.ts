import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every setting Kefu reads, with its environment variable, default and meaning.
 * The README's configuration table is written from this list.
 */
export const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, env: 'PORT', description: 'HTTP port' }),
  host: Type.String({ default: '0.0.0.0', env: 'HOST', description: 'Address to listen on' }),
  databaseUrl: Type.Optional(Type.String({ env: 'DATABASE_URL', description: 'postgres://… to run on PostgreSQL; unset → embedded PGlite' })),
  dataDir: Type.String({ default: './data', env: 'KEFU_DATA_DIR', description: 'Directory of the embedded database and uploaded files' }),
  baseDomain: Type.String({ default: 'localhost', env: 'KEFU_BASE_DOMAIN', description: 'Tenants live at <slug>.<base domain>' }),
  defaultTenant: Type.String({ default: 'demo', env: 'KEFU_DEFAULT_TENANT', description: 'Tenant used when the host has no tenant subdomain (single-company installs)' }),
  publicUrl: Type.Optional(Type.String({ env: 'KEFU_PUBLIC_URL', description: 'Public base URL used in links inside emails, e.g. https://kefu.example.com (tenants get their subdomain); unset → the request host when it is the base domain, a subdomain of it or an IP' })),
  smtpUrl: Type.Optional(Type.String({ env: 'KEFU_SMTP_URL', description: 'smtp://user:pass@host:port for outgoing mail; unset → mail is only stored in the outbox' })),
  mailFrom: Type.String({ default: 'Kefu <no-reply@kefu.local>', env: 'KEFU_MAIL_FROM', description: 'Sender of system mail' }),
  sessionDays: Type.Integer({ minimum: 1, maximum: 365, default: 14, env: 'KEFU_SESSION_DAYS', description: 'Session lifetime in days' }),
  secureCookies: Type.Boolean({ default: false, env: 'KEFU_SECURE_COOKIES', description: 'Mark cookies Secure (set behind HTTPS)' }),
  loginRateLimit: Type.Integer({ minimum: 1, default: 10, env: 'KEFU_LOGIN_RATE_LIMIT', description: 'Login attempts per minute per IP' }),
  helpCenterRateLimit: Type.Integer({ minimum: 1, default: 120, env: 'KEFU_HELP_CENTER_RATE_LIMIT', description: 'Help-center searches and article reads per minute per IP (helpful votes: a sixth of it)' }),
  visitorConnectionRateLimit: Type.Integer({ minimum: 1, default: 120, env: 'KEFU_VISITOR_CONNECTION_RATE_LIMIT', description: 'Website widget connections (and chat file uploads) per minute per IP (over it the widget is refused until the minute passes)' }),
  visitorEventRateLimit: Type.Integer({ minimum: 1, default: 5, env: 'KEFU_VISITOR_EVENT_RATE_LIMIT', description: 'Widget events (messages, typing, page views) per second per widget connection, after a burst of four times as many; over it the event is refused with an error frame' }),
  bodyLimit: Type.Integer({ minimum: 1024, default: 1_048_576, env: 'KEFU_BODY_LIMIT', description: 'Largest accepted JSON body in bytes' }),
  attachmentMaxBytes: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, default: 25 * 1024 * 1024, env: 'KEFU_ATTACHMENT_MAX_BYTES', description: 'Largest attachment (uploaded or received) in bytes; files live under <data dir>/files' }),
  logLevel: Type.String({ default: 'info', env: 'LOG_LEVEL', description: 'fatal | error | warn | info | debug | silent' }),
  seedDemo: Type.Boolean({ default: true, env: 'KEFU_SEED_DEMO', description: 'Create the demo company on first start' }),
  nodeId: Type.Optional(Type.String({ env: 'KEFU_NODE_ID', description: 'Name of this node in logs and job locks (default host:pid)' })),
  webDist: Type.Optional(Type.String({ env: 'KEFU_WEB_DIST', description: 'Directory of the built console to serve (default web/dist; lets parallel builds not share one)' })),
  mailFetch: Type.Boolean({ default: true, env: 'KEFU_MAIL_FETCH', description: 'Fetch the companies\' IMAP/POP3 mailboxes on this node (turn off on nodes that should only serve HTTP)' }),
  mailFetchConcurrency: Type.Integer({ minimum: 1, maximum: 200, default: 8, env: 'KEFU_MAIL_FETCH_CONCURRENCY', description: 'Mailboxes one node fetches at the same time (IMAP connections held in IDLE count too)' }),
  smtpReceiverPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, env: 'KEFU_SMTP_RECEIVER_PORT', description: 'Port of the built-in SMTP receiver for forwarded or MX mail (e.g. 2525); unset → off' })),
});
export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Reads the environment into a Config, or throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(ConfigSchema.properties)) {
    const name = (prop as unknown as { env: string }).env;
    if (env[name] !== undefined && env[name] !== '') raw[key] = env[name];
  }
  const value = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, { ...raw, ...overrides }));
  const errors = [...Value.Errors(ConfigSchema, value)];
  if (errors.length) {
    const lines = errors.map((e) => {
      const key = e.instancePath.replace(/^\//, '') as keyof typeof ConfigSchema.properties;
      const prop = ConfigSchema.properties[key] as unknown as { env?: string } | undefined;
      return `${prop?.env ?? key}: ${e.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return value as Config;
}
