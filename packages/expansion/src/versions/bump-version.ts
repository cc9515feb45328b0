/** Which part of the version an adoption raises. */
export type VersionBump = "major" | "minor" | "patch";

const NUMERIC = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/;

/** `[major, minor, patch]` of a version like `1.2.0`, `1.2`, `2` or `v1.2.3-beta`; undefined when it starts with no number. @internal */
export function parseVersionNumbers(version: string): [number, number, number] | undefined {
  const match = NUMERIC.exec(version.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * The next version after every one in `known`: the highest numeric version among them, raised
 * by `bump` (`1.0.0` → `1.1.0` for minor). Raising the highest rather than the one in force
 * keeps numbers unique after a rollback: with 1.0.0 and 1.1.0 known and 1.0.0 in force, the
 * next minor is 1.2.0. Versions that do not start with a number count as 1.0.0.
 * @internal
 */
export function nextVersion(known: readonly string[], bump: VersionBump = "minor"): string {
  let highest: [number, number, number] = [1, 0, 0];
  for (const version of known) {
    const numbers = parseVersionNumbers(version);
    if (numbers && compare(numbers, highest) > 0) highest = numbers;
  }
  const [major, minor, patch] = highest;
  const next = bump === "major" ? `${major + 1}.0.0` : bump === "minor" ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
  return known.includes(next) ? nextVersion([...known, next], bump) : next;
}
