/**
 * An export-name snapshot: the sorted names a package entry exports, kept in the package's
 * `src/__snapshots__/exports.test.ts.snap`. A change there is a change to the public API: review
 * it, update it with `npx vitest run src/exports.test.ts -u`, and add a changeset.
 */
import { expect, it } from "vitest";

/** Registers one test per entry: its export names against the stored snapshot. */
export function describeExports(entries: Record<string, object>): void {
  for (const [name, module] of Object.entries(entries)) {
    it(`exports the public API of ${name}`, () => {
      expect(Object.keys(module).sort()).toMatchSnapshot();
    });
  }
}
