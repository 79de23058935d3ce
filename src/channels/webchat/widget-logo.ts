import path from 'node:path';
import type { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { LOGO_TYPES, MAX_LOGO_BYTES } from '../../contracts/chat-live.ts';
import { AppError } from '../../contracts/errors.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import { FileStore, formatBytes } from '../../modules/attachments/file-store.ts';
import type { Ctx } from '../../modules/context.ts';
import { findOwned } from '../../modules/tenant-scope.ts';
import { widgetStyles, type WidgetStyle } from './webchat.schema.ts';

/**
 * Widget logos: content-addressed like attachments (the same FileStore), in a directory of their own,
 * because the attachment sweep removes files no attachment row names, and a logo is named by its style.
 */
export function logoStoreFor(config: { dataDir: string }): FileStore {
  return new FileStore(path.resolve(config.dataDir, 'widget-logos'), MAX_LOGO_BYTES);
}

export type LogoType = typeof LOGO_TYPES[number];

/** The image type from the first bytes (what the file is, whatever name or type the upload claims), or null. */
export function sniffImage(head: Buffer): LogoType | null {
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 6 && /^GIF8[79]a$/.test(head.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (head.length >= 12 && head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/** The public address of a style's logo (relative: the widget puts its Kefu origin in front). */
export function logoPath(s: Pick<WidgetStyle, 'id' | 'logoSha'>): string | null {
  return s.logoSha ? `/api/v1/widget-logos/${s.id}?v=${s.logoSha.slice(0, 12)}` : null;
}

const logoTooLarge = () => new AppError('too_large', {
  zh: `Logo 图片不能超过 ${formatBytes(MAX_LOGO_BYTES)}，请压缩后再上传`,
  en: `The logo may be at most ${formatBytes(MAX_LOGO_BYTES)}: make it smaller and upload it again`,
});
const notAnImage = () => new AppError('validation', {
  zh: 'Logo 只能是 PNG、JPEG、WebP 或 GIF 图片（不支持 SVG）',
  en: 'The logo must be a PNG, JPEG, WebP or GIF image (SVG is not accepted)',
});

/** Reads an upload of at most `max` bytes into memory (a logo is small), refusing anything larger. */
async function readLimited(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) { stream.resume(); throw logoTooLarge(); }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Sets a style's logo from one uploaded file: a raster image of at most MAX_LOGO_BYTES, checked by its bytes. */
export async function uploadLogo(ctx: Ctx, config: { dataDir: string }, styleId: string, files: AsyncIterable<{ filename: string; stream: Readable }>): Promise<WidgetStyle> {
  const before = await findOwned(ctx, widgetStyles, styleId);
  let bytes: Buffer | null = null;
  try {
    for await (const f of files) {
      if (bytes) { f.stream.resume(); continue; }
      bytes = await readLimited(f.stream, MAX_LOGO_BYTES);
    }
  } catch (err) {
    const tooBig = (err instanceof AppError && err.code === 'too_large') || (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';
    throw tooBig ? logoTooLarge() : err;
  }
  if (!bytes?.length) throw new AppError('validation', { zh: '请选择一张 Logo 图片', en: 'Choose a logo image to upload' });
  const type = sniffImage(bytes);
  if (!type) throw notAnImage();
  const stored = await logoStoreFor(config).put(bytes);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(widgetStyles).set({ logoSha: stored.sha256, logoType: type, updatedAt: new Date() }).where(eq(widgetStyles.id, styleId)).returning();
    await recordAudit({ ...ctx, db: tx }, { action: 'widget_style.logo', targetType: 'widget_style', targetId: styleId, before: { logo: before.logoSha }, after: { logo: stored.sha256, type, size: stored.size } });
    return row;
  });
}

export async function removeLogo(ctx: Ctx, styleId: string): Promise<WidgetStyle> {
  const before = await findOwned(ctx, widgetStyles, styleId);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(widgetStyles).set({ logoSha: null, logoType: null, updatedAt: new Date() }).where(eq(widgetStyles.id, styleId)).returning();
    await recordAudit({ ...ctx, db: tx }, { action: 'widget_style.logo', targetType: 'widget_style', targetId: styleId, before: { logo: before.logoSha }, after: { logo: null } });
    return row;
  });
}

/** The logo's bytes and type for the public route, or a 404 (no logo, or another company's style). */
export async function openLogo(ctx: Ctx, config: { dataDir: string }, styleId: string): Promise<{ stream: Readable; type: string; sha: string }> {
  const style = await findOwned(ctx, widgetStyles, styleId);
  const stream = style.logoSha && style.logoType ? await logoStoreFor(config).open(style.logoSha) : null;
  if (!stream) throw new AppError('not_found', { zh: '该风格没有 Logo', en: 'This style has no logo' });
  return { stream, type: style.logoType!, sha: style.logoSha! };
}
