/**
 * One step of a field path: a property name (`route`, `name`) or an array index (`[0]`).
 * @internal
 */
export type PathSegment = string | number;
