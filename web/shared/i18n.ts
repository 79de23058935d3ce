import { useSyncExternalStore } from 'react';
import { setApiLanguage } from './api.ts';
import { en } from './locales/en.ts';
import { zhCN, type MessageKey } from './locales/zh-CN.ts';
import type { Locale } from './types.ts';

/**
 * The console's languages: Simplified Chinese (default) and English. Every UI string goes through t();
 * the choice is kept in localStorage (and, when signed in, in the profile: see auth.tsx).
 */
export type { MessageKey };
export const LANGUAGES: { value: Locale; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
];

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'kefu.locale';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}

/** The remembered choice, or null when the person never chose. */
export function storedLanguage(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

let current: Locale = storedLanguage() ?? 'zh-CN';
const listeners = new Set<() => void>();
applyLanguage(current);

function applyLanguage(lang: Locale): void {
  setApiLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export function getLanguage(): Locale {
  return current;
}

/** Switches the UI language and remembers it in this browser. */
export function setLanguage(lang: Locale): void {
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* private mode: the choice lasts this page */ }
  if (lang === current) return;
  current = lang;
  applyLanguage(lang);
  for (const l of listeners) l();
}

export function translate(lang: Locale, key: MessageKey, vars?: Vars): string {
  const text = DICTIONARIES[lang][key] ?? zhCN[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** The current language and its translate function; re-renders when the language changes. */
export function useI18n(): { lang: Locale; t: Translate } {
  const lang = useSyncExternalStore(subscribe, getLanguage, getLanguage);
  return { lang, t: (key, vars) => translate(lang, key, vars) };
}

/** Every key under a prefix ("auditAction."), for pickers over known server values. */
export function messageKeysWithPrefix(prefix: string): MessageKey[] {
  return (Object.keys(zhCN) as MessageKey[]).filter((k) => k.startsWith(prefix));
}

/** For keys built from server values (audit actions, mail purposes): is there a translation? */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}
