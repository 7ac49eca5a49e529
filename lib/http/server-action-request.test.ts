import { describe, expect, it } from "vitest";
import { isSameOrigin, malformedActionBody } from "./server-action-request.mjs";

describe("server-action requests, checked before Next reads them", () => {
  it("come from the console's own origin: Host, or X-Forwarded-Host once a trusted proxy set it", () => {
    expect(isSameOrigin({ host: "localhost:3000", origin: "http://localhost:3000" })).toBe(true);
    expect(isSameOrigin({ host: "10.0.0.5:3000", "x-forwarded-host": "console.example", origin: "https://console.example" })).toBe(true);
    expect(isSameOrigin({ host: "localhost:3000", origin: "http://evil.example" })).toBe(false);
    expect(isSameOrigin({ host: "localhost:3000", origin: "http://localhost:3001" })).toBe(false);
    // A missing or `null` Origin is not the console's.
    expect(isSameOrigin({ host: "localhost:3000" })).toBe(false);
    expect(isSameOrigin({ host: "localhost:3000", origin: "null" })).toBe(false);
    expect(isSameOrigin({ host: "localhost:3000", origin: "not a url" })).toBe(false);
  });

  it("carry React's reply encoding: JSON text, or multipart with a JSON part 0", async () => {
    const fetchAction = (contentType: string) => ({ "next-action": "7f00", "content-type": contentType });
    const part = (name: string, value: string) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n--b--\r\n`;
    const multipart = "multipart/form-data; boundary=b";
    expect(await malformedActionBody(fetchAction("text/plain;charset=UTF-8"), Buffer.from('[{},"x"]'))).toBeNull();
    expect(await malformedActionBody(fetchAction(multipart), Buffer.from(part("0", '["$K1"]')))).toBeNull();
    expect(await malformedActionBody(fetchAction("text/plain;charset=UTF-8"), Buffer.from("not json {"))).toMatch(/not JSON/);
    expect(await malformedActionBody(fetchAction("text/plain;charset=UTF-8"), Buffer.alloc(0))).toMatch(/not JSON/);
    expect(await malformedActionBody(fetchAction(multipart), Buffer.from("--b\r\nno header end"))).toMatch(/cannot be parsed/);
    expect(await malformedActionBody(fetchAction("multipart/form-data"), Buffer.from(part("0", "[]")))).toMatch(/cannot be parsed/);
    expect(await malformedActionBody(fetchAction(multipart), Buffer.from(part("1", "[]")))).toMatch(/no JSON part 0/);
    // A form posted before the page's scripts ran: any well-formed multipart.
    expect(await malformedActionBody({ "content-type": multipart }, Buffer.from(part("$ACTION_ID_7f00", "")))).toBeNull();
  });
});
