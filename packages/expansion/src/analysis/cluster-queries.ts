import type { QueryCluster } from "./node-analysis";

const stopWords = new Set(
  "a an the of to in on for and or is are was were be been it its this that these those what which who how why when where do does did i you we they he she my your our their me with by from at as can could should would will shall please tell give write find make if then than so not no yes there here about into out up down over under".split(
    " ",
  ),
);

/** Words of a query: lower-case letters, digits kept as a `<num>` token, stop words dropped. */
function wordsOf(query: string): string[] {
  return (query.toLowerCase().match(/[a-z]+|\d+(?:\.\d+)?|[+\-*/^%=×÷]/g) ?? [])
    .map((word) => (/^\d/.test(word) ? "<num>" : /^[+\-*/^%=×÷]$/.test(word) ? "<op>" : word))
    .filter((word) => !stopWords.has(word) && (word.length > 2 || word.startsWith("<")));
}

/** Options of {@link clusterQueries}. */
export interface ClusterQueriesOptions {
  /** Most clusters. Default: about √(n/2), from 1 to 6. */
  maxClusters?: number;
  /** Which queries failed, to count failures per cluster. */
  failed?: ReadonlySet<string>;
}

/**
 * Groups queries by wording: TF-IDF vectors of their words (numbers and operators as tokens of
 * their own), then k-means on cosine similarity with a deterministic farthest-point start, so
 * the same queries always give the same clusters. Each cluster is named by its most telling
 * words. Returns the clusters, largest first.
 */
export function clusterQueries(queries: readonly string[], options: ClusterQueriesOptions = {}): QueryCluster[] {
  const unique = [...new Set(queries)];
  if (unique.length === 0) return [];
  const docs = unique.map(wordsOf);
  const df = new Map<string, number>();
  for (const words of docs) for (const word of new Set(words)) df.set(word, (df.get(word) ?? 0) + 1);
  const idf = (word: string) => Math.log((1 + unique.length) / (1 + (df.get(word) ?? 0))) + 1;
  const vectors = docs.map((words) => {
    const tf = new Map<string, number>();
    for (const word of words) tf.set(word, (tf.get(word) ?? 0) + 1);
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [word, count] of tf) {
      const weight = count * idf(word);
      vector.set(word, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [word, weight] of vector) vector.set(word, weight / norm);
    return vector;
  });
  const cosine = (a: Map<string, number>, b: Map<string, number>) => {
    let sum = 0;
    const [small, large] = a.size < b.size ? [a, b] : [b, a];
    for (const [word, weight] of small) sum += weight * (large.get(word) ?? 0);
    return sum;
  };
  const k = Math.max(1, Math.min(options.maxClusters ?? Math.min(6, Math.max(1, Math.round(Math.sqrt(unique.length / 2)))), unique.length));
  // Farthest-point start: the first query, then each time the query least like any centre so far.
  const centres: Map<string, number>[] = [vectors[0]!];
  while (centres.length < k) {
    let best = -1;
    let bestScore = Infinity;
    vectors.forEach((vector, index) => {
      const score = Math.max(...centres.map((centre) => cosine(vector, centre)));
      if (score < bestScore) {
        bestScore = score;
        best = index;
      }
    });
    centres.push(vectors[best]!);
  }
  let assignment = vectors.map(() => 0);
  for (let round = 0; round < 20; round++) {
    const next = vectors.map((vector) => {
      let best = 0;
      let bestScore = -Infinity;
      centres.forEach((centre, index) => {
        const score = cosine(vector, centre);
        if (score > bestScore) {
          bestScore = score;
          best = index;
        }
      });
      return best;
    });
    const stable = next.every((value, index) => value === assignment[index]);
    assignment = next;
    for (let c = 0; c < centres.length; c++) {
      const members = vectors.filter((_, index) => assignment[index] === c);
      if (members.length === 0) continue;
      const sum = new Map<string, number>();
      for (const member of members) for (const [word, weight] of member) sum.set(word, (sum.get(word) ?? 0) + weight / members.length);
      centres[c] = sum;
    }
    if (stable && round > 0) break;
  }
  const clusters: QueryCluster[] = [];
  centres.forEach((centre, c) => {
    const members = unique.filter((_, index) => assignment[index] === c);
    if (members.length === 0) return;
    const keywords = [...centre]
      .filter(([word]) => !word.startsWith("<"))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([word]) => word);
    const label = keywords.slice(0, 2).join("-") || (centre.has("<op>") ? "expressions" : `cluster-${c + 1}`);
    clusters.push({ label, keywords, queries: members, failures: members.filter((query) => options.failed?.has(query)).length });
  });
  // Labels must be unique: later duplicates get a number.
  const seen = new Map<string, number>();
  for (const cluster of clusters) {
    const count = (seen.get(cluster.label) ?? 0) + 1;
    seen.set(cluster.label, count);
    if (count > 1) cluster.label = `${cluster.label}-${count}`;
  }
  return clusters.sort((a, b) => b.queries.length - a.queries.length || a.label.localeCompare(b.label));
}
