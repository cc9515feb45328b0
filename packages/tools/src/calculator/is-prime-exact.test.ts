import { describe, expect, test } from "vitest";
import { isPrimeExact } from "./is-prime-exact";

function trialDivision(n: number): boolean {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
}

describe("isPrimeExact", () => {
  test("agrees with trial division below 20000", () => {
    for (let n = 0; n < 20_000; n++) expect(isPrimeExact(BigInt(n))).toBe(trialDivision(n));
  });

  test("large primes and strong pseudoprimes", () => {
    expect(isPrimeExact(9007199254740881n)).toBe(true); // largest prime below 2^53
    expect(isPrimeExact(2n ** 61n - 1n)).toBe(true); // Mersenne prime
    expect(isPrimeExact(3215031751n)).toBe(false); // strong pseudoprime to bases 2, 3, 5, 7
    expect(isPrimeExact(3825123056546413051n)).toBe(false); // strong pseudoprime to bases up to 23
    expect(isPrimeExact(318665857834031151167461n)).toBe(false); // strong pseudoprime to bases up to 37
    expect(isPrimeExact(2n ** 53n - 1n)).toBe(false);
  });
});
