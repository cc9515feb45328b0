/** Shapes the in-isolate harness uses. @internal */
export type Rec = Record<string, unknown>;
export type ErrorInfo = { n: string; m: string; l?: number; c?: number; x?: string };
export type Task = { s: string; v?: string; e?: ErrorInfo; p?: boolean };
export type Seen = { o: object; next: Seen | null } | null;
export type CaseSpec = { call?: string; fn?: string; args?: string; expected: string; tol: number };
export type AnyFn = (...args: unknown[]) => unknown;
