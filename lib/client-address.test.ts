import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address.mjs";

describe("clientAddress: who the client is, whatever it claims", () => {
  it("uses the socket when no proxy is trusted, ignoring a forged X-Forwarded-For", () => {
    expect(clientAddress(undefined, "198.51.100.7", 0)).toBe("198.51.100.7");
    expect(clientAddress("1.2.3.4", "198.51.100.7", 0)).toBe("198.51.100.7");
  });

  it("believes exactly as many hops as there are trusted proxies", () => {
    // Client claims 1.2.3.4; the one proxy saw it come from 203.0.113.5 and called us from 10.0.0.2.
    expect(clientAddress("1.2.3.4, 203.0.113.5", "10.0.0.2", 1)).toBe("203.0.113.5");
    expect(clientAddress("1.2.3.4, 203.0.113.5, 10.0.0.9", "10.0.0.2", 2)).toBe("203.0.113.5");
  });

  it("never reads past the start of the chain", () => {
    expect(clientAddress("", "10.0.0.2", 3)).toBe("10.0.0.2");
    expect(clientAddress("203.0.113.5", "10.0.0.2", 5)).toBe("203.0.113.5");
  });
});
