/** @mentions in plain text: which colleagues a draft names, and where a stored message names them. */
export interface Person { id: string; name: string }

/** At each "@", the longest known name that follows it ("@Li Wei" is Li Wei, not Li). */
function nameAt(text: string, at: number, byLength: Person[]): Person | undefined {
  return byLength.find((p) => text.startsWith(p.name, at + 1));
}

/** The colleagues a draft @mentions, each once, in order of first mention. */
export function findMentions(text: string, people: Person[]): string[] {
  const byLength = [...people].filter((p) => p.name).sort((a, b) => b.name.length - a.name.length);
  const ids: string[] = [];
  for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) {
    const p = nameAt(text, i, byLength);
    if (p && !ids.includes(p.id)) ids.push(p.id);
  }
  return ids;
}

/** A message body cut into plain text and "@name" parts, for the names of the people it mentions. */
export function splitMentions(body: string, people: Person[]): Array<{ text: string; mention: boolean }> {
  const byLength = [...people].filter((p) => p.name).sort((a, b) => b.name.length - a.name.length);
  const parts: Array<{ text: string; mention: boolean }> = [];
  let from = 0;
  for (let i = body.indexOf('@'); i >= 0; i = body.indexOf('@', i + 1)) {
    const p = nameAt(body, i, byLength);
    if (!p) continue;
    if (i > from) parts.push({ text: body.slice(from, i), mention: false });
    parts.push({ text: `@${p.name}`, mention: true });
    from = i + 1 + p.name.length;
    i = from - 1;
  }
  if (from < body.length) parts.push({ text: body.slice(from), mention: false });
  return parts;
}
