import { Type, type Static } from 'typebox';
import { Uuid } from './common.ts';

export { INLINE_IMAGE_TYPES, MAX_ATTACHMENTS_PER_MESSAGE } from './attachment-limits.ts';

export const AttachmentView = Type.Object({
  id: Uuid,
  filename: Type.String({ description: 'Sanitized: no path, no control characters; shown as text' }),
  contentType: Type.String({ description: 'As declared by the sender; downloads are always served as attachments' }),
  size: Type.Integer({ description: 'Bytes' }),
});
export type AttachmentView = Static<typeof AttachmentView>;

export const AttachmentList = Type.Object({ items: Type.Array(AttachmentView) });
export type AttachmentList = Static<typeof AttachmentList>;

export const AttachmentQuery = Type.Object({
  inline: Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description: '1: show a PNG, JPEG, GIF or WebP image in the browser instead of downloading it (other types still download)' })),
});

/** The download itself: the file's bytes. */
export const AttachmentBytes = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file\'s bytes' });
