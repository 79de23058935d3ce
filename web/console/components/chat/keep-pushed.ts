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
 * Lines the console got by a push or a send answer while a refetch of the chat list was out. A refetch
 * answer can be older than a push (the server read the list before the line was stored, the push came
 * first) and can name a chat the console did not know when its first line was pushed: such lines are
 * added to the answer. A line that came while no refetch was out was stored before any later refetch
 * reads the list, so nothing is kept then, and everything is forgotten once the latest answer is applied.
 */
export class RecentLines {
  private lines: ChatLineView[] = [];
  private fetches = 0;
  private applied = 0;

  remember(line: ChatLineView): void { if (this.fetches > this.applied) this.lines.push(line); }
  /** A refetch is asked for: its number, for `apply`. */
  fetching(): number { return ++this.fetches; }
  /** The answer of refetch `n` with the lines that may be missing from it; null when a later refetch is out (this answer is older). */
  apply(n: number, fresh: ChatView[]): ChatView[] | null {
    if (n !== this.fetches) return null;
    const out = withLines(fresh, this.lines);
    this.lines = [];
    this.applied = n;
    return out;
  }
}

/** A colleague thread refetched: messages pushed meanwhile (by id) are kept, in time order. */
export function keepPushed<T extends { id: string; createdAt: string }>(shown: T[], fresh: T[]): T[] {
  const ids = new Set(fresh.map((m) => m.id));
  const pushed = shown.filter((m) => !ids.has(m.id));
  return pushed.length ? [...fresh, ...pushed].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) : fresh;
}
