import { http } from './api.ts';
import type {
  KbArticleInput, KbArticlePatch, KbArticleQuery, KbArticleSummary, KbArticleView, KbCategoryInput, KbCategoryPatch, KbCategoryView,
  KbHighlighted, KbSearchHit, KbSearchMode, KbSearchQuery, KbSearchResult, KbVersionView,
} from '../../src/contracts/kb.ts';
import type { ListOf, Ok } from './types.ts';

/** The knowledge base's API, as the console calls it (routes in src/modules/kb/kb.routes.ts). */
export type {
  KbArticleInput, KbArticlePatch, KbArticleSummary, KbArticleView, KbCategoryView, KbHighlighted, KbSearchHit, KbSearchMode,
  KbSearchResult, KbVersionView,
};

const at = (id: string) => encodeURIComponent(id);

export const kbApi = {
  categories: () => http.get<ListOf<KbCategoryView>>('/api/v1/kb/categories'),
  createCategory: (input: KbCategoryInput) => http.post<KbCategoryView>('/api/v1/kb/categories', input),
  updateCategory: (id: string, patch: KbCategoryPatch) => http.patch<KbCategoryView>(`/api/v1/kb/categories/${at(id)}`, patch),
  removeCategory: (id: string) => http.del<Ok>(`/api/v1/kb/categories/${at(id)}`),
  articles: (q: KbArticleQuery = {}) => http.get<ListOf<KbArticleSummary>>('/api/v1/kb/articles', { ...q }),
  article: (id: string) => http.get<KbArticleView>(`/api/v1/kb/articles/${at(id)}`),
  create: (input: KbArticleInput) => http.post<KbArticleView>('/api/v1/kb/articles', input),
  update: (id: string, patch: KbArticlePatch) => http.patch<KbArticleView>(`/api/v1/kb/articles/${at(id)}`, patch),
  remove: (id: string) => http.del<Ok>(`/api/v1/kb/articles/${at(id)}`),
  publish: (id: string) => http.post<KbArticleView>(`/api/v1/kb/articles/${at(id)}/publish`),
  unpublish: (id: string) => http.post<KbArticleView>(`/api/v1/kb/articles/${at(id)}/unpublish`),
  versions: (id: string) => http.get<ListOf<KbVersionView>>(`/api/v1/kb/articles/${at(id)}/versions`),
  search: (q: KbSearchQuery) => http.get<KbSearchResult>('/api/v1/kb/search', { ...q }),
};
