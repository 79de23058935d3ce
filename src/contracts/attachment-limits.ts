/** Attachment rules the server enforces and the console shows; no schema library, so the console can import it. */

/** How many files one message may carry (and one upload request may send). */
export const MAX_ATTACHMENTS_PER_MESSAGE = 20;

/** Image types a browser may show inline: never SVG or HTML, which can carry script. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
