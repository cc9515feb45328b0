/** Marks every vertex reachable from `starts` (iterative; safe for large graphs). */
export function reachable(starts: readonly number[], adjacency: readonly (readonly number[])[]): Uint8Array {
  const seen = new Uint8Array(adjacency.length);
  const stack: number[] = [];
  for (const s of starts) {
    if (!seen[s]) {
      seen[s] = 1;
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (const w of adjacency[v] ?? []) {
      if (!seen[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    }
  }
  return seen;
}

/** Reverses an adjacency list. */
export function reverseAdjacency(adjacency: readonly (readonly number[])[]): number[][] {
  const out: number[][] = adjacency.map(() => []);
  adjacency.forEach((targets, v) => {
    for (const w of targets) out[w]?.push(v);
  });
  return out;
}

/**
 * Strongly connected components that form cycles (size > 1, or a self-loop), by an
 * iterative Tarjan: no recursion, so 10,000-node graphs do not overflow the stack.
 */
export function cyclicComponents(adjacency: readonly (readonly number[])[]): number[][] {
  const n = adjacency.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const result: number[][] = [];
  let counter = 0;
  const work: { v: number; i: number }[] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    work.push({ v: root, i: 0 });
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { v: number; i: number };
      const targets = adjacency[frame.v] ?? [];
      if (frame.i < targets.length) {
        const w = targets[frame.i++] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, i: 0 });
        } else if (onStack[w]) {
          low[frame.v] = Math.min(low[frame.v] as number, index[w] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v] as number, low[frame.v] as number);
      if (low[frame.v] === index[frame.v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          component.push(w);
        } while (w !== frame.v);
        if (component.length > 1 || (adjacency[frame.v] ?? []).includes(frame.v)) result.push(component.reverse());
      }
    }
  }
  return result;
}
