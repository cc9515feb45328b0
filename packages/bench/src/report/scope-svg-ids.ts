/**
 * Prefixes the ids an SVG defines (clip paths, gradients) and its references to them, so several
 * SVGs inlined in one HTML page do not resolve `url(#clip1)` to each other's definitions.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, start: string, id: string) => `${start}${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : whole))
    .replace(/((?:xlink:)?href=")#([^"]+)"/g, (whole, start: string, id: string) => (ids.has(id) ? `${start}#${prefix}${id}"` : whole));
}
