/**
 * The key repeats of an unanswered question are counted by: the same question however it is
 * punctuated, spaced, cased or written in full-width characters ("怎么退款？" = "怎么退款", "How do I
 * get a REFUND?" = "how do i get a refund"). Chinese loses its spaces, Latin words keep one between them.
 */
export function normalizeQuestion(text: string): string {
  return text.normalize('NFKC').toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/(?<=[\p{Script=Han}]) (?=[\p{Script=Han}])/gu, '')
    .replace(/ ?([\p{Script=Han}]) ?/gu, '$1')
    .trim()
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

/** Why a question is in the log (the latest time it was asked). */
export const UNANSWERED_REASONS = ['no_answer', 'rejected', 'handover_after_answer'] as const;
export type UnansweredReason = (typeof UNANSWERED_REASONS)[number];
export const UNANSWERED_STATUSES = ['open', 'resolved', 'ignored'] as const;
export type UnansweredStatus = (typeof UNANSWERED_STATUSES)[number];
