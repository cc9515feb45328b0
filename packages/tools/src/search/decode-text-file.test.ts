import { describe, expect, it } from "vitest";
import { decodeTextFile } from "./decode-text-file";

describe("decodeTextFile", () => {
  it("decodes UTF-8 and drops a BOM", () => {
    expect(decodeTextFile(Buffer.from("\uFEFFGrüße"))).toBe("Grüße");
  });

  it("rejects NUL bytes and invalid UTF-8", () => {
    expect(decodeTextFile(Buffer.from([0x61, 0x00, 0x62]))).toBeUndefined();
    expect(decodeTextFile(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBeUndefined();
  });
});
