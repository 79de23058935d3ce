/**
 * The fields of `after` whose value differs from `before`, as [before, after] pairs: the shape of
 * every "changes" in events and history. Values compare by their JSON form (arrays, dates).
 */
export function changedFields<T extends object>(before: T, after: Partial<T>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) {
    const old = before[key as keyof T];
    if (JSON.stringify(old) !== JSON.stringify(value)) out[key] = [old, value];
  }
  return out;
}
