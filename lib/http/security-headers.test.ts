import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, fixedSecurityHeaders } from "./security-headers.mjs";

const directive = (policy: string, name: string) =>
  policy
    .split("; ")
    .find((d) => d.split(" ")[0] === name)
    ?.split(" ")
    .slice(1);

describe("security headers", () => {
  it("send HSTS only when APP_URL is https", () => {
    expect(fixedSecurityHeaders("https://roster.example.com")["Strict-Transport-Security"]).toBe("max-age=31536000");
    expect(fixedSecurityHeaders("HTTPS://roster.example.com")).toHaveProperty("Strict-Transport-Security");
    expect(fixedSecurityHeaders("http://localhost:3000")).not.toHaveProperty("Strict-Transport-Security");
    expect(fixedSecurityHeaders(undefined)).not.toHaveProperty("Strict-Transport-Security");
  });

  it("refuse framing, sniffing and full referrers everywhere", () => {
    expect(fixedSecurityHeaders("http://localhost:3000")).toMatchObject({
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
    });
  });

  it("let scripts run only with the response's nonce, never inline or eval in production", () => {
    const policy = contentSecurityPolicy({ nonce: "abc123", appUrl: "https://roster.example.com" });
    expect(directive(policy, "script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(directive(policy, "style-src")).toEqual(["'self'", "'nonce-abc123'"]);
    expect(directive(policy, "default-src")).toEqual(["'none'"]);
    expect(directive(policy, "frame-ancestors")).toEqual(["'none'"]);
    expect(directive(policy, "form-action")).toEqual(["'self'"]);
    expect(directive(policy, "upgrade-insecure-requests")).toEqual([]);
    expect(directive(contentSecurityPolicy({ nonce: "n", appUrl: "http://localhost:3000" }), "upgrade-insecure-requests")).toBeUndefined();
    // Only the development server's React needs eval.
    expect(directive(contentSecurityPolicy({ nonce: "n", development: true }), "script-src")).toContain("'unsafe-eval'");
  });

  it("make a different, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(18);
  });
});
