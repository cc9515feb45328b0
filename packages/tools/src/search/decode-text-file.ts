const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes sniffed for NUL characters before decoding. */
const SNIFF_BYTES = 8192;

/**
 * Decodes a file's bytes as UTF-8 text, or returns `undefined` when they look binary: a NUL
 * byte in the first 8 KiB, or bytes that are not valid UTF-8. A leading BOM is dropped.
 */
export function decodeTextFile(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return undefined;
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/u, "");
  } catch {
    return undefined;
  }
}
