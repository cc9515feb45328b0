/**
 * `text` cut to at most `maxBytes` bytes of UTF-8, on a character boundary, and whether it was
 * cut.
 *
 * @internal
 */
export function capUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // A UTF-16 code unit is at most 3 bytes of UTF-8, so short strings need no encoding.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, "utf8") <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, "utf8");
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that was cut.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString("utf8"), truncated: true };
}
