import { asc, eq } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import type { Ctx } from '../../modules/context.ts';
import { findOwned } from '../../modules/tenant-scope.ts';
import { widgetStyles, type WidgetStyle } from './webchat.schema.ts';

/** The company's widget style for a page that names none (the demo page): the first one, made on first use. */
export async function defaultStyle(db: Conn, tenantId: string): Promise<WidgetStyle> {
  const [first] = await db.select().from(widgetStyles).where(eq(widgetStyles.tenantId, tenantId)).orderBy(asc(widgetStyles.createdAt)).limit(1);
  if (first) return first;
  const [made] = await db.insert(widgetStyles).values({ tenantId, name: '默认风格 Default', greetingZh: '您好，有什么可以帮您？', greetingEn: 'Hello! How can we help?' }).returning();
  return made;
}

export async function styleForDemo(ctx: Ctx, styleId: string | undefined): Promise<WidgetStyle> {
  return styleId ? findOwned(ctx, widgetStyles, styleId) : defaultStyle(ctx.db, ctx.tenantId);
}

const PAGES: Record<string, { zh: string; en: string }> = {
  home: { zh: '首页', en: 'Home' },
  products: { zh: '产品', en: 'Products' },
  pricing: { zh: '价格', en: 'Pricing' },
};

/** A fake company site (示例商城) with the widget snippet, as a company would paste it; a few pages make a trail. */
export function demoPage(styleId: string, page: string): string {
  const current = PAGES[page] ? page : 'home';
  const nav = Object.entries(PAGES).map(([key, p]) => `<a href="/widget-demo?page=${key}" id="nav-${key}">${p.zh} ${p.en}</a>`).join(' · ');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${PAGES[current].zh} - 示例商城 Demo shop</title>
<style>body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#0f172a;color:#fff;padding:16px 24px}header a{color:#93c5fd;margin-right:8px}main{padding:24px;max-width:720px}</style>
</head><body>
<header><strong>示例商城 Demo shop</strong><nav>${nav}</nav></header>
<main><h1>${PAGES[current].zh} / ${PAGES[current].en}</h1>
<p>这是一个演示网站：右下角的按钮就是 Kefu 在线客服插件。This is a demo company site: the button in the corner is the Kefu chat widget.</p></main>
<script src="/widget.js" data-style="${styleId}" async></script>
</body></html>`;
}
