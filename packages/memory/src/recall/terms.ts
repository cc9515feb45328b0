const stopWords = new Set(
  "a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its me my of on or our she so than that the their them then there these they this to too was we were what when where which who whom why will with would you your".split(
    " ",
  ),
);

/**
 * The terms BM25 indexes and searches: lower case, without punctuation and stop words, with a
 * light suffix stemmer (`cities` → `city`, `lives` and `lived` → `liv`, `walked` → `walk`), so a
 * paraphrase that shares a word's stem finds it. @internal
 */
export function memoryTerms(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !stopWords.has(word))
    .map(stem);
}

function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let stemmed = word;
  if (stemmed.endsWith("ies") && stemmed.length > 4) stemmed = `${stemmed.slice(0, -3)}y`;
  else if (stemmed.endsWith("ing") && stemmed.length > 5) stemmed = stemmed.slice(0, -3);
  else if (stemmed.endsWith("ed") && stemmed.length > 4) stemmed = stemmed.slice(0, -2);
  else if (stemmed.endsWith("s") && !stemmed.endsWith("ss") && stemmed.length > 3) stemmed = stemmed.slice(0, -1);
  // live, lives, lived and living all end as "liv".
  if (stemmed.endsWith("e") && stemmed.length > 3) stemmed = stemmed.slice(0, -1);
  return stemmed;
}
