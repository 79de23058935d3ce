import type { Locale as AntdLocale } from 'antd/es/locale/index.js';
import * as enUS from 'antd/es/locale/en_US.js';
import * as zhCN from 'antd/es/locale/zh_CN.js';
import type { Locale } from '../shared/types.ts';

// antd's es/ files are ES modules (the bundler reads `.default`), but antd's package.json does not say so,
// so TypeScript (NodeNext) types them as CommonJS. Name the real shape once, here.
const pick = (m: unknown) => (m as { default: AntdLocale }).default;

/** antd's own texts (pagination, date pickers, empty states) for each UI language. */
export const ANTD_LOCALES: Record<Locale, AntdLocale> = { 'zh-CN': pick(zhCN), en: pick(enUS) };
