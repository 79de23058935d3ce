import type { KbArticleSummary, KbArticleView, KbCategoryView, KbPublicArticleView, KbSearchHit, KbVersionView } from '../../contracts/kb.ts';
import type { Locale } from '../../contracts/common.ts';
import type { KbArticle, KbArticleVersion, KbCategory } from './kb.schema.ts';
import type { HitArticle, SearchHit } from './search/search.ts';

/** Rows → API shapes: the only place knowledge-base JSON is made. */

type Summarized = Pick<HitArticle, 'id' | 'kind' | 'title' | 'categoryId' | 'locale' | 'visibility' | 'status' | 'version' | 'publishedAt' | 'views' | 'helpfulYes' | 'helpfulNo' | 'updatedAt'>;

export function presentArticleSummary(a: Summarized): KbArticleSummary {
  return {
    id: a.id, kind: a.kind as KbArticleSummary['kind'], title: a.title, categoryId: a.categoryId, locale: a.locale as Locale,
    visibility: a.visibility as KbArticleSummary['visibility'], status: a.status as KbArticleSummary['status'], version: a.version,
    publishedAt: a.publishedAt?.toISOString() ?? null, views: a.views, helpfulYes: a.helpfulYes, helpfulNo: a.helpfulNo,
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function presentArticle(a: KbArticle): KbArticleView {
  return {
    ...presentArticleSummary(a), body: a.body, bodyText: a.bodyText, keywords: a.keywords, synonyms: a.synonyms,
    paraphrases: a.paraphrases, authorId: a.authorId, createdAt: a.createdAt.toISOString(), sourceTicketId: a.sourceTicketId,
  };
}

export function presentPublicSummary(a: Summarized) {
  return { id: a.id, kind: a.kind as KbArticleSummary['kind'], title: a.title, categoryId: a.categoryId, locale: a.locale as Locale, publishedAt: a.publishedAt?.toISOString() ?? null, updatedAt: a.updatedAt.toISOString() };
}

export function presentPublicArticle(a: KbArticle): KbPublicArticleView {
  return { ...presentPublicSummary(a), body: a.body, paraphrases: a.paraphrases };
}

export function presentHit(h: SearchHit): KbSearchHit {
  return { article: presentArticleSummary(h.article), score: h.score, title: h.title, snippet: h.snippet };
}

export function presentPublicHit(h: SearchHit) {
  return { article: presentPublicSummary(h.article), score: h.score, title: h.title, snippet: h.snippet };
}

export function presentVersion(v: KbArticleVersion): KbVersionView {
  return {
    version: v.version, action: v.action, title: v.title, body: v.body, keywords: v.keywords, synonyms: v.synonyms, paraphrases: v.paraphrases,
    categoryId: v.categoryId, kind: v.kind as KbVersionView['kind'], locale: v.locale as Locale, visibility: v.visibility as KbVersionView['visibility'],
    status: v.status as KbVersionView['status'], authorName: v.authorName, createdAt: v.createdAt.toISOString(),
  };
}

export function presentCategory(c: KbCategory, articleCount = 0): KbCategoryView {
  return { id: c.id, parentId: c.parentId, name: c.name, description: c.description, sortOrder: c.sortOrder, articleCount };
}
