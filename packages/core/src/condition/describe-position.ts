/**
 * Describes a 0-based offset for a human: `column 14` (1-based) for single-line sources,
 * `line 2, column 3` when the source spans several lines.
 * @internal
 */
export function describePosition(source: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = offset - lineStart + 1;
  return line === 1 && source.indexOf("\n") === -1 ? `column ${column}` : `line ${line}, column ${column}`;
}
