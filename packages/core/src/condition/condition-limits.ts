/**
 * The longest condition source accepted, in UTF-16 code units (`string.length`).
 * @internal
 */
export const MAX_CONDITION_LENGTH = 2000;

/**
 * The deepest nesting accepted: each `(`, `[` and `not`/`!` opens one level.
 * Keeps the recursive-descent parser (and the compiled closures) far from stack limits.
 * @internal
 */
export const MAX_CONDITION_DEPTH = 64;
