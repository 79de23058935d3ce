import type { ErrorBody } from '../../src/contracts/common.ts';

/**
 * The console's HTTP client: same-origin fetch with the session cookie, the CSRF token on writes and
 * the UI language in Accept-Language, so the server's error messages come back in that language.
 */

/** An error answer from the API; `message` is already localized by the server. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(body: ErrorBody) {
    super(body.message);
    this.status = body.statusCode;
    this.code = body.code;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = '';
let acceptLanguage = 'zh-CN';
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function setApiLanguage(lang: string): void {
  acceptLanguage = lang === 'en' ? 'en' : 'zh-CN,zh;q=0.9';
}

/** Called when a signed-in request answers 401 (the session ended elsewhere or expired). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => { unauthenticatedListeners.delete(listener); };
}

type QueryValue = string | number | boolean | undefined | null;
/** Query parameters; a list repeats its key (?statuses=open&statuses=pending). */
export type Query = Record<string, QueryValue | readonly QueryValue[]>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null && one !== '') params.append(k, String(one));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': acceptLanguage };
  if (WRITE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  // Fastify refuses an empty body declared as JSON: send a body (and its type) only when there is one.
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ statusCode: 0, code: 'network', error: 'Network error', message: networkMessage() });
  }
  const text = await res.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const err = isErrorBody(data)
      ? new ApiError(data)
      : new ApiError({ statusCode: res.status, code: 'http', error: res.statusText, message: `${res.status} ${res.statusText}` });
    if (err.status === 401 && err.code === 'unauthenticated' && !path.startsWith('/api/v1/auth/login')) {
      for (const l of unauthenticatedListeners) l();
    }
    throw err;
  }
  return data as T;
}

/**
 * Sends files as multipart/form-data (one `file` part each), with the CSRF token and language like
 * request(). XMLHttpRequest rather than fetch, for upload progress (0–100).
 */
export function upload<T>(path: string, files: readonly File[], opts: { onProgress?(percent: number): void; signal?: AbortSignal } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', acceptLanguage);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) opts.onProgress?.(Math.round((e.loaded / e.total) * 100)); };
    xhr.onerror = () => reject(new ApiError({ statusCode: 0, code: 'network', error: 'Network error', message: networkMessage() }));
    xhr.onabort = () => reject(new ApiError({ statusCode: 0, code: 'aborted', error: 'Aborted', message: 'aborted' }));
    xhr.onload = () => {
      const data: unknown = xhr.responseText ? safeJson(xhr.responseText) : undefined;
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const err = isErrorBody(data)
        ? new ApiError(data)
        : new ApiError({ statusCode: xhr.status, code: 'http', error: xhr.statusText, message: `${xhr.status} ${xhr.statusText}` });
      if (err.status === 401 && err.code === 'unauthenticated') for (const l of unauthenticatedListeners) l();
      reject(err);
    };
    opts.signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    xhr.send(form);
  });
}

function networkMessage(): string {
  return acceptLanguage === 'en' ? 'Cannot reach the server: check your connection' : '无法连接服务器，请检查网络';
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}

function isErrorBody(v: unknown): v is ErrorBody {
  return !!v && typeof v === 'object' && typeof (v as ErrorBody).message === 'string' && typeof (v as ErrorBody).statusCode === 'number';
}

export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};
