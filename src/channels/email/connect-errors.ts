import type { CheckCode } from '../../contracts/email.ts';

/**
 * What went wrong talking to a mail server, in words an admin can act on: the password, the network,
 * the TLS setting or the folder. Reads the error shapes of Node's sockets, imapflow and node-pop3.
 */

export interface ConnectFailure { code: Exclude<CheckCode, 'ok'>; detail: string }

/** Thrown by our own checks (a missing folder, a server without POP3 UIDL). */
export class MailServerError extends Error {
  constructor(readonly code: Exclude<CheckCode, 'ok'>, message: string) { super(message); }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL']);
const TIMEOUT = new Set(['ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ESOCKETTIMEDOUT']);

type Loose = Error & {
  code?: string; authenticationFailed?: boolean; tlsFailed?: boolean; mailboxMissing?: boolean; responseText?: string;
  eventName?: string; command?: string; cause?: unknown; _err?: unknown; reason?: string;
};

function flat(err: unknown): Loose[] {
  const out: Loose[] = [];
  let cur: unknown = err;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    out.push(cur as Loose);
    cur = (cur as Loose)._err ?? (cur as Loose).cause;
  }
  return out;
}

export function classifyConnectError(err: unknown): ConnectFailure {
  const chain = flat(err);
  const top = chain[0];
  const text = (top?.responseText || top?.message || String(err)).slice(0, 500);
  if (top instanceof MailServerError) return { code: top.code, detail: top.message };
  for (const e of chain) {
    if (e.authenticationFailed) return { code: 'auth_failed', detail: e.responseText || e.message };
    // node-pop3: "-ERR" to USER/PASS (the command is masked as "PASS ***")
    if (e.eventName === 'error' && /^(USER|PASS|AUTH|APOP)\b/.test(e.command ?? '')) return { code: 'auth_failed', detail: e.message };
    if (e.mailboxMissing) return { code: 'folder_missing', detail: e.responseText || e.message };
  }
  for (const e of chain) {
    const code = e.code ?? '';
    if (e.tlsFailed || /^ERR_SSL_|^ERR_TLS_|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code) || /ClosedAfterConnectTLS/.test(code)) return { code: 'tls', detail: e.message };
    if (UNREACHABLE.has(code) || code === 'NoConnection') return { code: 'unreachable', detail: e.message };
    if (TIMEOUT.has(code) || e.eventName === 'timeout' || /^timeout$/i.test(e.message)) return { code: 'timeout', detail: e.message };
  }
  // a TLS handshake against a plain-text port (or the other way round) often ends as a closed connection
  if (chain.some((e) => /wrong version number|packet length too long|ssl|tls/i.test(e.message))) return { code: 'tls', detail: text };
  return { code: 'protocol', detail: text };
}

/** The admin-facing sentence for a check result, in their language (the server's own words follow in `detail`). */
export const CHECK_TEXT: Record<CheckCode, { zh: string; en: string }> = {
  ok: { zh: '连接成功', en: 'Connected' },
  auth_failed: { zh: '登录失败：用户名或密码不正确', en: 'Sign-in failed: wrong user name or password' },
  unreachable: { zh: '无法连接到邮件服务器：请检查主机名和端口', en: 'Cannot reach the mail server: check the host and port' },
  timeout: { zh: '连接邮件服务器超时', en: 'The mail server did not answer in time' },
  tls: { zh: 'TLS 加密连接失败：请检查加密方式与端口是否匹配', en: 'The TLS connection failed: check that the encryption setting matches the port' },
  folder_missing: { zh: '邮件服务器上没有该文件夹', en: 'The folder does not exist on the mail server' },
  protocol: { zh: '邮件服务器的应答无法识别', en: 'The mail server answered in a way Kefu does not understand' },
  receiver_off: { zh: '内置 SMTP 接收服务未开启（设置 KEFU_SMTP_RECEIVER_PORT）', en: 'The built-in SMTP receiver is off (set KEFU_SMTP_RECEIVER_PORT)' },
};
