import type { KbHighlighted } from '../portal-api.ts';

/** Text with the search's matches marked; the text stays text (React escapes it). */
export function Highlighted({ value, testId }: { value: KbHighlighted; testId?: string }) {
  const parts: Array<{ text: string; mark: boolean }> = [];
  let at = 0;
  for (const [start, end] of [...value.ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end > value.text.length || end <= start) continue;
    if (start > at) parts.push({ text: value.text.slice(at, start), mark: false });
    parts.push({ text: value.text.slice(start, end), mark: true });
    at = end;
  }
  if (at < value.text.length) parts.push({ text: value.text.slice(at), mark: false });
  return <span data-testid={testId}>{parts.map((p, i) => (p.mark ? <mark key={i} style={{ background: '#ffe58f', padding: 0 }}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</span>;
}
