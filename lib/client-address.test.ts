import { describe, expect, it } from "vitest";
import { clientAddress, trustForwardedHeaders } from "./client-address.mjs";

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

describe("trustForwardedHeaders: forwarding headers say only what trusted proxies said", () => {
  const claims = () => ({
    host: "console.example",
    "x-forwarded-for": "1.2.3.4, 203.0.113.5",
    "x-forwarded-host": "evil.example, console.example",
    "x-forwarded-proto": "https",
    "x-forwarded-port": "443",
    "x-forwarded-prefix": "/roster",
    forwarded: 'for=1.2.3.4;host=evil.example, for=203.0.113.5;host="console.example";proto=https',
    "x-real-ip": "1.2.3.4",
    "true-client-ip": "1.2.3.4",
    "user-agent": "test",
  });

  it("removes every one the client sent when no proxy is trusted", () => {
    expect(trustForwardedHeaders(claims(), "198.51.100.7", 0)).toEqual({
      host: "console.example",
      "x-forwarded-for": "198.51.100.7",
      "x-real-ip": "198.51.100.7",
      "user-agent": "test",
    });
  });

  it("keeps what the outermost trusted proxy wrote, whether it appended or set the header", () => {
    expect(trustForwardedHeaders(claims(), "10.0.0.2", 1)).toEqual({
      host: "console.example",
      "x-forwarded-for": "203.0.113.5",
      "x-forwarded-host": "console.example",
      "x-forwarded-proto": "https",
      "x-forwarded-port": "443",
      "x-forwarded-prefix": "/roster",
      forwarded: 'for=203.0.113.5;host="console.example";proto=https',
      "x-real-ip": "203.0.113.5",
      "user-agent": "test",
    });
  });

  it("counts hops from the end of each list, and never reads past its start", () => {
    const headers = trustForwardedHeaders(
      { "x-forwarded-host": "evil.example, console.example, inner.internal", forwarded: 'for=a;host="x,y", for=b', "x-forwarded-proto": "http" },
      "10.0.0.2",
      2,
    );
    expect(headers["x-forwarded-host"]).toBe("console.example");
    expect(headers.forwarded).toBe('for=a;host="x,y"');
    expect(headers["x-forwarded-proto"]).toBe("http");
  });
});
