import type { AttachmentView } from '../../src/contracts/attachments.ts';
import type { KbPublicArticleView, KbPublicSearchResult, KbSearchMode } from '../../src/contracts/kb.ts';
import type { DeflectionSource, PortalArticleList, PortalCategoryView, PortalRequestInput, PortalRequestResult, Suggestions } from '../../src/contracts/portal.ts';
import type { KbHighlighted } from '../../src/contracts/kb.ts';
import { portalLanguage } from './portal-i18n.ts';

/**
 * The help center's calls: public routes only, and never with the staff session cookie (a staff member
 * browsing the portal is a reader like any other, and public writes carry no CSRF token).
 */
export type { AttachmentView, KbHighlighted, KbPublicArticleView, KbPublicSearchResult, KbSearchMode, PortalCategoryView, Suggestions };
export type PortalArticleSummary = PortalArticleList['items'][number];

export class PortalError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': portalLanguage() === 'en' ? 'en' : 'zh-CN,zh;q=0.9' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new PortalError(0, portalLanguage() === 'en' ? 'Network error: check your connection' : '网络错误，请检查网络连接');
  }
  const data = await res.json().catch(() => undefined) as { message?: string } | undefined;
  if (!res.ok) throw new PortalError(res.status, data?.message ?? `${res.status} ${res.statusText}`);
  return data as T;
}

const at = (id: string) => encodeURIComponent(id);

export const portalApi = {
  categories: () => call<{ items: PortalCategoryView[]; total: number }>('GET', '/api/v1/kb/public/categories'),
  category: (id: string) => call<PortalCategoryView>('GET', `/api/v1/kb/public/categories/${at(id)}`),
  categoryArticles: (id: string, offset = 0) => call<PortalArticleList>('GET', `/api/v1/kb/public/categories/${at(id)}/articles?limit=20&offset=${offset}`),
  search: (q: string, mode: KbSearchMode, limit = 10) =>
    call<KbPublicSearchResult>('GET', `/api/v1/kb/public/search?${new URLSearchParams({ q, mode, limit: String(limit) })}`),
  suggest: (q: string) => call<Suggestions>('GET', `/api/v1/kb/public/suggestions?${new URLSearchParams({ q, limit: '5' })}`),
  article: (id: string) => call<KbPublicArticleView>('GET', `/api/v1/kb/public/articles/${at(id)}`),
  related: (id: string) => call<{ items: PortalArticleSummary[] }>('GET', `/api/v1/kb/public/articles/${at(id)}/related`),
  attachments: (id: string) => call<{ items: AttachmentView[] }>('GET', `/api/v1/kb/public/articles/${at(id)}/attachments`),
  attachmentUrl: (id: string) => `/api/v1/kb/public/attachments/${at(id)}`,
  vote: (id: string, helpful: boolean) => call<{ helpfulYes: number; helpfulNo: number }>('POST', `/api/v1/kb/articles/${at(id)}/vote`, { helpful }),
  deflect: (articleId: string, query: string, source: DeflectionSource) =>
    call<{ recorded: boolean }>('POST', '/api/v1/kb/public/deflections', { articleId, query: query.slice(0, 500), source, visitId: visitId() }),
  /** Files for a request, uploaded before it is sent (named in attachmentIds). */
  async upload(file: File): Promise<AttachmentView> {
    const form = new FormData();
    form.append('file', file, file.name);
    let res: Response;
    try {
      res = await fetch('/api/v1/portal/uploads', { method: 'POST', body: form, credentials: 'omit', headers: { accept: 'application/json', 'accept-language': portalLanguage() === 'en' ? 'en' : 'zh-CN,zh;q=0.9' } });
    } catch {
      throw new PortalError(0, portalLanguage() === 'en' ? 'Network error: check your connection' : '网络错误，请检查网络连接');
    }
    const data = await res.json().catch(() => undefined) as { items?: AttachmentView[]; message?: string } | undefined;
    if (!res.ok || !data?.items?.[0]) throw new PortalError(res.status, data?.message ?? `${res.status} ${res.statusText}`);
    return data.items[0];
  },
  submit: (input: PortalRequestInput) => call<PortalRequestResult>('POST', '/api/v1/portal/requests', input),
};

/** One id per browser tab visit: "solved" pressed twice for one article counts once. */
function visitId(): string {
  const KEY = 'kefu.portal.visit';
  try {
    const known = sessionStorage.getItem(KEY);
    if (known) return known;
    const made = newId();
    sessionStorage.setItem(KEY, made);
    return made;
  } catch {
    return newId();
  }
}

/** A random UUID (v4). crypto.randomUUID exists only on https or localhost; the portal may be served over plain http. */
export function newId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
