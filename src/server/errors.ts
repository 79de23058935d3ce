import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, type ErrorCode, type LocalizedText } from '../contracts/errors.ts';
import type { ErrorBody } from '../contracts/common.ts';

/** The caller's language: their profile when signed in, else Accept-Language, else Chinese. */
export function requestLocale(req: FastifyRequest): 'zh-CN' | 'en' {
  const fromUser = (req as FastifyRequest & { kefuLocale?: string }).kefuLocale;
  if (fromUser === 'en' || fromUser === 'zh-CN') return fromUser;
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  return header.startsWith('en') ? 'en' : 'zh-CN';
}

function body(req: FastifyRequest, code: ErrorCode, detail?: string | LocalizedText): ErrorBody {
  const e = ERRORS[code];
  const en = requestLocale(req) === 'en';
  const text = en ? e.en : e.zh;
  if (typeof detail === 'object') return { statusCode: e.status, code, error: e.en, message: `${text}: ${en ? detail.en : detail.zh}` };
  return { statusCode: e.status, code, error: e.en, message: detail && detail !== e.en ? `${text}: ${detail}` : text };
}

/** Which conflict a unique index stands for; any other unique index is a name already in use. */
const UNIQUE_CONSTRAINTS: Record<string, ErrorCode> = {
  users_tenant_email_key: 'email_taken',
  tenants_slug_key: 'slug_taken',
};

function isSqlState(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** Maps every failure to a clear 4xx, or a 500 whose details stay in the log. */
export function errorHandler(err: FastifyError & { code?: string }, req: FastifyRequest, reply: FastifyReply) {
  const send = (code: ErrorCode, detail?: string | LocalizedText) => {
    const b = body(req, code, detail);
    return reply.code(b.statusCode).send(b);
  };
  if (err instanceof AppError) return send(err.code, err.detail);
  // A unique index caught a race the service's own check missed (two requests at once). drizzle wraps driver
  // errors (DrizzleQueryError), so the SQLSTATE and the constraint are on the cause.
  const db = [err, (err as { cause?: unknown }).cause].find((e): e is { code: string; constraint?: string } => isSqlState(e));
  if (db?.code === '23505') return send(UNIQUE_CONSTRAINTS[String(db.constraint)] ?? 'name_taken');
  if (err.validation) return send('validation', `${err.validationContext ?? ''}${err.validationContext ? ' ' : ''}${err.validation.map((v) => `${v.instancePath || '/'} ${v.message}`).join('; ')}`);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return send('too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return send('unsupported_media');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return send('bad_json', 'The body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return send('bad_json');
    case 'FST_ERR_BAD_URL': return send('validation', 'The address contains invalid percent-encoding');
  }
  if (err.statusCode === 429) return send('rate_limited');
  if (err instanceof SyntaxError || err.statusCode === 400) return send('bad_json');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return reply.code(err.statusCode).send({ statusCode: err.statusCode, code: 'bad_request', error: 'Bad Request', message: err.message });
  }
  req.log.error({ err }, 'unhandled error');
  return send('internal');
}

export function notFoundBody(req: FastifyRequest): ErrorBody {
  return body(req, 'not_found', `${req.method} ${req.url.split('?')[0]}`);
}
