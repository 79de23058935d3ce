import { useSyncExternalStore } from 'react';
import { PORTAL_TEXT, type PortalKey, type PortalLocale } from './portal-text.ts';

/**
 * The portal's language: the visitor's choice (kept in this browser), else the browser's language
 * (English for en-*, Simplified Chinese otherwise).
 */
const STORAGE_KEY = 'kefu.portal.locale';

function initial(): PortalLocale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'zh-CN' || v === 'en') return v;
  } catch { /* private mode */ }
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

let current: PortalLocale = initial();
const listeners = new Set<() => void>();
if (typeof document !== 'undefined') document.documentElement.lang = current;

export function portalLanguage(): PortalLocale { return current; }

export function setPortalLanguage(lang: PortalLocale): void {
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* the choice lasts this page */ }
  if (lang === current) return;
  current = lang;
  document.documentElement.lang = lang;
  for (const l of listeners) l();
}

export function portalT(lang: PortalLocale, key: PortalKey, vars?: Record<string, string | number>): string {
  const text: string = PORTAL_TEXT[lang][key] ?? PORTAL_TEXT['zh-CN'][key];
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

export function usePortalI18n() {
  const lang = useSyncExternalStore((cb) => { listeners.add(cb); return () => listeners.delete(cb); }, () => current, () => current);
  return { lang, t: (key: PortalKey, vars?: Record<string, string | number>) => portalT(lang, key, vars) };
}
