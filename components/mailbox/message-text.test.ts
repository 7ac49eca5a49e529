import { describe, expect, it } from "vitest";
import { splitLinks } from "./message-text";

describe("Mailbox links", () => {
  it("makes http(s) links of a message's text, leaving sentence punctuation outside", () => {
    expect(splitLinks("Join Acme: https://roster.test/invitations/abc_DEF-1.\nIt expires in 7 days.")).toEqual([
      { text: "Join Acme: " },
      { text: "https://roster.test/invitations/abc_DEF-1", href: "https://roster.test/invitations/abc_DEF-1" },
      { text: ".\nIt expires in 7 days." },
    ]);
    expect(splitLinks("(see http://localhost:3000/reset-password/x)")).toEqual([
      { text: "(see " },
      { text: "http://localhost:3000/reset-password/x", href: "http://localhost:3000/reset-password/x" },
      { text: ")" },
    ]);
  });

  it("links nothing but http(s), and hands back markup as plain text", () => {
    for (const text of ["javascript:alert(1)", "data:text/html,<b>x</b>", "mailto:a@b.test", "ftp://files.test/x", "https://", "Your code is 123456."]) {
      expect(splitLinks(text)).toEqual([{ text }]);
    }
    const parts = splitLinks('<a href="javascript:alert(1)">https://evil.test/"onmouseover="x</a>');
    expect(parts.filter((p) => p.href).map((p) => p.href)).toEqual(["https://evil.test/"]);
    expect(parts.map((p) => p.text).join("")).toBe('<a href="javascript:alert(1)">https://evil.test/"onmouseover="x</a>');
  });
});
