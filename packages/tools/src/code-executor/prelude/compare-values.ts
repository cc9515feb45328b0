/**
 * Value comparison for the sandbox's tests: JSON-style equality with a numeric tolerance (test
 * cases) and Node-style loose and strict deep equality (`assert`). Runs inside the isolate only.
 *
 * @internal
 */
import {
  ArrayIsArray,
  MathAbs,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectKeys,
  RangeErrorCtor,
  ReflectApply,
  dateGetTime,
  hasOwn,
  mapForEach,
  mapGet,
  mapHas,
  objectToString,
  setForEach,
} from "./intrinsics";
import type { Rec } from "./prelude-types";

export const sameEntries = (a: object, b: object, equal: (x: unknown, y: unknown) => boolean): boolean => {
  const keysA = ObjectKeys(a);
  if (keysA.length !== ObjectKeys(b).length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i] as string;
    if (!ReflectApply(hasOwn, b, [key])) return false;
    if (!equal((a as Rec)[key], (b as Rec)[key])) return false;
  }
  return true;
};
export const jsonEqual = (a: unknown, b: unknown, tolerance: number, depth: number): boolean => {
  if (typeof a === "number" && typeof b === "number") return a === b || (a !== a && b !== b) || (tolerance > 0 && MathAbs(a - b) <= tolerance);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (depth > 500) throw new RangeErrorCtor("values nest too deeply to compare");
  const arrayA = ArrayIsArray(a);
  if (arrayA !== ArrayIsArray(b)) return false;
  if (arrayA) {
    const listA = a as unknown[];
    const listB = b as unknown[];
    if (listA.length !== listB.length) return false;
    for (let i = 0; i < listA.length; i++) if (!jsonEqual(listA[i], listB[i], tolerance, depth + 1)) return false;
    return true;
  }
  return sameEntries(a, b, (x, y) => jsonEqual(x, y, tolerance, depth + 1));
};
export const looseEqual = (a: unknown, b: unknown): boolean => a == b || (a !== a && b !== b);
export const deepEqual = (a: unknown, b: unknown, strict: boolean, depth: number): boolean => {
  if (strict ? ObjectIs(a, b) : looseEqual(a, b)) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (depth > 500) throw new RangeErrorCtor("values nest too deeply to compare");
  if (strict && ObjectGetPrototypeOf(a) !== ObjectGetPrototypeOf(b)) return false;
  const tag = ReflectApply(objectToString, a, []) as string;
  if (tag !== ReflectApply(objectToString, b, [])) return false;
  if (tag === "[object Date]") return ReflectApply(dateGetTime, a, []) === ReflectApply(dateGetTime, b, []);
  if (tag === "[object Map]") {
    let same = (a as Map<unknown, unknown>).size === (b as Map<unknown, unknown>).size;
    ReflectApply(mapForEach, a, [
      (entry: unknown, key: unknown) => {
        same = same && (ReflectApply(mapHas, b, [key]) as boolean) && deepEqual(entry, ReflectApply(mapGet, b, [key]), strict, depth + 1);
      },
    ]);
    return same;
  }
  if (tag === "[object Set]") {
    let same = (a as Set<unknown>).size === (b as Set<unknown>).size;
    ReflectApply(setForEach, a, [
      (entry: unknown) => {
        if (!same) return;
        let found = false;
        ReflectApply(setForEach, b, [
          (other: unknown) => {
            found = found || deepEqual(entry, other, strict, depth + 1);
          },
        ]);
        same = found;
      },
    ]);
    return same;
  }
  if (ArrayIsArray(a) !== ArrayIsArray(b)) return false;
  return sameEntries(a, b, (x, y) => deepEqual(x, y, strict, depth + 1));
};
