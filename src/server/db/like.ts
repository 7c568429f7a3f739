/** A case-insensitive "contains" pattern for `LIKE … ESCAPE '\'`, with % and _ matched literally. */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
