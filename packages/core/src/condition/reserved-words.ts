/**
 * Keywords of the condition language. Case-sensitive; none can be used as a field name.
 * @internal
 */
export const CONDITION_KEYWORDS: ReadonlySet<string> = new Set(["and", "or", "not", "in", "true", "false", "null"]);

/**
 * Property names that could reach an object's prototype; rejected in field paths.
 * @internal
 */
export const FORBIDDEN_FIELD_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
