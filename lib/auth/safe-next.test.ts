import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath: where sign-in may send someone", () => {
  it("keeps paths on this site", () => {
    expect(safeNextPath("/users?q=ada&status=active")).toBe("/users?q=ada&status=active");
    expect(safeNextPath("/account#api-keys")).toBe("/account#api-keys");
  });

  it.each([
    ["another origin", "https://evil.example"],
    ["a protocol-relative URL", "//evil.example"],
    ["a backslash the browser reads as a slash", "/\\evil.example"],
    ["a tab the browser drops", "/\t/evil.example"],
    ["a newline the browser drops", "/\n/evil.example"],
    ["dot segments that collapse to //", "/.//evil.example"],
    ["parent segments that collapse to //", "/..//evil.example/x"],
    ["encoded dot segments", "/%2e%2e//evil.example"],
    ["an encoded dot before //", "/%2e//evil.example"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "account"],
    ["nothing", null],
    ["an overlong value", `/${"a".repeat(5000)}`],
  ])("falls back to /account for %s", (_what, value) => {
    expect(safeNextPath(value)).toBe("/account");
  });
});
