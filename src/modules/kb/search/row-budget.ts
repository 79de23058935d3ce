/**
 * The lookups' shared rule for bounding the rows the database reads (words in search.ts lookupFor,
 * characters in char-fallback.ts charLookup): from a list sorted rarest first, take items while their
 * row counts add up to at most `budget`. Returns them and the rows they add up to.
 */
export function rarestWithin<T>(sorted: readonly T[], rowsOf: (item: T) => number, budget: number): { taken: T[]; rows: number } {
  const taken: T[] = [];
  let rows = 0;
  for (const item of sorted) {
    const n = rowsOf(item);
    if (rows + n > budget) break;
    taken.push(item);
    rows += n;
  }
  return { taken, rows };
}
