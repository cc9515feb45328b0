/**
 * The intrinsics the in-isolate harness uses, captured when the prelude script runs: before any
 * user code, so user code that replaces `JSON`, `Array.prototype.push` and the like only breaks
 * itself. Runs inside the isolate only (bundled into the prelude script at build time).
 *
 * @internal
 */
import type { Rec } from "./prelude-types";

/** The isolate's global object. */
export const g = globalThis as unknown as Rec;
export const ObjectCreate = Object.create;
export const ObjectKeys = Object.keys;
export const ObjectIs = Object.is;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectFreeze = Object.freeze;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectPrototype = Object.prototype;
export const hasOwn = Object.prototype.hasOwnProperty;
export const objectToString = Object.prototype.toString;
export const ArrayIsArray = Array.isArray;
export const ReflectApply = Reflect.apply;
export const jsonStringify = JSON.stringify;
export const jsonParse = JSON.parse;
export const StringCtor = String;
export const NumberCtor = Number;
export const stringSlice = String.prototype.slice;
export const stringIndexOf = String.prototype.indexOf;
export const regexpExec = RegExp.prototype.exec;
export const regexpToString = RegExp.prototype.toString;
export const dateToISOString = Date.prototype.toISOString;
export const dateGetTime = Date.prototype.getTime;
export const symbolToString = Symbol.prototype.toString;
export const functionToString = Function.prototype.toString;
export const mapForEach = Map.prototype.forEach;
export const mapGet = Map.prototype.get;
export const mapHas = Map.prototype.has;
export const setForEach = Set.prototype.forEach;
export const arrayBufferIsView = ArrayBuffer.isView;
export const MathAbs = Math.abs;
export const MathTrunc = Math.trunc;
export const PromiseCtor = Promise;
export const promiseThen = Promise.prototype.then;
export const ErrorCtor = Error;
export const TypeErrorCtor = TypeError;
export const RangeErrorCtor = RangeError;
export const indirectEval: (source: string) => unknown = eval;

export const record = <T>(): T => ObjectCreate(null) as T;
export const slice = (text: string, start: number, end?: number): string =>
  ReflectApply(stringSlice, text, end === undefined ? [start] : [start, end]) as string;
export const indexOf = (text: string, search: string, from: number): number => ReflectApply(stringIndexOf, text, [search, from]) as number;
export const clip = (text: string, max: number): string => (text.length > max ? slice(text, 0, max) + "…" : text);
export const define = (name: string, value: unknown): void => {
  ObjectDefineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
};
