/**
 * The points no other point dominates, for a cost to keep low (`x`) and a score to keep high
 * (`y`): a point is dominated when another has `y` at least as high and `x` at most as high, and
 * is strictly better on one of them. The frontier comes sorted by `x`, then `y`, ready to be
 * drawn as a line. Points with equal `x` and `y` do not dominate each other: both stay.
 */
export function paretoFrontier<T>(points: readonly T[], x: (point: T) => number, y: (point: T) => number): T[] {
  const dominated = (p: T) => points.some((q) => q !== p && y(q) >= y(p) && x(q) <= x(p) && (y(q) > y(p) || x(q) < x(p)));
  return points.filter((p) => !dominated(p)).sort((a, b) => x(a) - x(b) || y(a) - y(b));
}
