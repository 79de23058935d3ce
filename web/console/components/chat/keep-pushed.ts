import type { ChatLineView, ChatView } from '../../../../src/contracts/chat.ts';

/** The chats with these lines added to theirs (a line already there by seq is not added twice), in seq order. */
export function withLines(chats: ChatView[], lines: ChatLineView[]): ChatView[] {
  if (!lines.length) return chats;
  return chats.map((c) => {
    const seqs = new Set(c.lines.map((l) => l.seq));
    const more = lines.filter((l) => l.conversationId === c.id && !seqs.has(l.seq) && seqs.add(l.seq));
    return more.length ? { ...c, lines: [...c.lines, ...more].sort((a, b) => a.seq - b.seq) } : c;
  });
}

/**
 * Lines the console got by a push or a send answer, kept until a refetch of the chat list is sure to hold
 * them. A refetch answer can be older than a push (the server read the list before the line was stored,
 * the push came first) and can name a chat the console did not know when its first line was pushed: such
 * lines are added to the answer. A line that came before a refetch was asked for was stored before the
 * server read the list, so it is in the answer (or in a chat no longer ours) and is forgotten.
 */
export class RecentLines {
  private lines: Array<{ line: ChatLineView; fetch: number }> = [];
  private fetches = 0;

  remember(line: ChatLineView): void { this.lines.push({ line, fetch: this.fetches }); }
  /** A refetch is asked for: its number, for `apply`. */
  fetching(): number { return ++this.fetches; }
  /** The answer of refetch `n` with the lines that may be missing from it; null when a later refetch is out (this answer is older). */
  apply(n: number, fresh: ChatView[]): ChatView[] | null {
    if (n !== this.fetches) return null;
    this.lines = this.lines.filter((r) => r.fetch >= n);
    return withLines(fresh, this.lines.map((r) => r.line));
  }
}

/** A colleague thread refetched: messages pushed meanwhile (by id) are kept, in time order. */
export function keepPushed<T extends { id: string; createdAt: string }>(shown: T[], fresh: T[]): T[] {
  const ids = new Set(fresh.map((m) => m.id));
  const pushed = shown.filter((m) => !ids.has(m.id));
  return pushed.length ? [...fresh, ...pushed].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) : fresh;
}
