import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSessionPrincipal } from "@/db/queries/principals";
import { insertMembers } from "@/db/queries/users";
import { useFreshDatabase } from "@/db/testing";
import { accounts, emailOutbox, seenDevices, type User } from "@/db/schema";
import { readBody } from "@/lib/email";
import { openSession } from "@/lib/sessions/open-session";
import { networkOf } from "./network";
import { noteSignInDevice } from "./new-device";

const CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const CHROME_MAC_NEWER = CHROME_MAC.replace("Chrome/140", "Chrome/141");
const FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, bob: User;
const DAY = 24 * 60 * 60 * 1000;
const start = new Date("2026-01-01T09:00:00Z");
const day = (n: number) => new Date(start.getTime() + n * DAY);
const signIn = (user: User, userAgent: string | null, ip: string | null, now: Date) => database.db.transaction((tx) => noteSignInDevice(tx, user, { ip, userAgent }, now));
const notices = async (user: User) =>
  (await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.kind, "security-notice")))).map((m) => ({ subject: m.subject, text: readBody(m)!.text }));

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [ada, bob] = await insertMembers(database.db, [
    { accountId: acme.id, email: "ada@acme.test", status: "active", passwordHash: "x" },
    { accountId: acme.id, email: "bob@acme.test", status: "active", passwordHash: "x" },
  ]);
});
afterAll(() => database.close());

describe("the network of an address (O4)", () => {
  it("is an IPv4 /24 or an IPv6 /48; an IPv4 address written as IPv6 is the IPv4 one; none is unknown", () => {
    expect(networkOf("203.0.113.5")).toBe("203.0.113.0/24");
    expect(networkOf("203.0.113.250")).toBe("203.0.113.0/24");
    expect(networkOf("2001:db8:1:2::5")).toBe("2001:db8:1::/48");
    expect(networkOf("2001:0db8:0001:ffff:0:0:0:1")).toBe("2001:db8:1::/48");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0::/48");
    expect(networkOf("fe80::1%eth0")).toBe("fe80:0:0::/48");
    expect(networkOf("::ffff:203.0.113.5")).toBe("203.0.113.0/24");
    expect(networkOf("::1")).toBe("0:0:0::/48");
    expect(networkOf(null)).toBe("unknown");
    expect(networkOf("not an address")).toBe("unknown");
  });
});

describe("a sign-in from a new device (O4)", () => {
  it("is not reported on the very first sign-in, nor from the same browser family, system and network", async () => {
    expect(await signIn(ada, CHROME_MAC, "203.0.113.5", day(0))).toEqual({ newDevice: false });
    // A browser update and another address in the same /24 are the same device.
    expect(await signIn(ada, CHROME_MAC_NEWER, "203.0.113.77", day(1))).toEqual({ newDevice: false });
    expect(await notices(ada)).toEqual([]);
  });

  it("is reported for a new browser family on a known network, and for a known browser on a new network", async () => {
    expect(await signIn(ada, FIREFOX_MAC, "203.0.113.5", day(2))).toEqual({ newDevice: true });
    expect(await signIn(ada, CHROME_MAC, "198.51.100.20", day(3))).toEqual({ newDevice: true });
    // Another system is another device, even with the same browser.
    expect(await signIn(ada, CHROME_WIN, "203.0.113.5", day(4))).toEqual({ newDevice: true });
    const sent = await notices(ada);
    expect(sent).toHaveLength(3);
    expect(sent.every((n) => n.subject === "New sign-in to your Roster account")).toBe(true);
    expect(sent.map((n) => n.text.match(/Browser: .*\nAddress: .*/)![0]).sort()).toEqual(
      ["Browser: Chrome 140 on Windows 10\nAddress: 203.0.113.5", "Browser: Chrome 140 on macOS Catalina\nAddress: 198.51.100.20", "Browser: Firefox 133 on macOS Sonoma\nAddress: 203.0.113.5"].sort(),
    );
    expect(sent.every((n) => /\/this-wasnt-me\/[A-Za-z0-9_-]{59}\n/.test(n.text))).toBe(true);
    // Now known: signing in again from either is quiet.
    expect(await signIn(ada, FIREFOX_MAC, "198.51.100.99", day(5))).toEqual({ newDevice: false });
  });

  it("forgets devices after 90 days, but a person with history is still told", async () => {
    // Firefox on the 198.51.100 network was last seen on day 5: 89 days later it is known…
    expect(await signIn(ada, FIREFOX_MAC, "198.51.100.5", day(5 + 89))).toEqual({ newDevice: false });
    // …and 91 days after that sign-in, new again.
    expect(await signIn(ada, FIREFOX_MAC, "198.51.100.5", day(5 + 89 + 91))).toEqual({ newDevice: true });
    // Everything forgotten: still not a first sign-in.
    expect(await signIn(ada, CHROME_MAC, "203.0.113.5", day(500))).toEqual({ newDevice: true });
  });

  it("without an address, judges by the browser alone", async () => {
    expect(await signIn(bob, CHROME_MAC, "192.0.2.1", day(0))).toEqual({ newDevice: false });
    expect(await signIn(bob, CHROME_MAC, null, day(1))).toEqual({ newDevice: false });
    expect(await signIn(bob, FIREFOX_MAC, null, day(2))).toEqual({ newDevice: true });
    expect(await signIn(bob, null, null, day(3))).toEqual({ newDevice: true });
  });

  it("keeps one row per device, with when it was first and last seen, and never the full address", async () => {
    const rows = await database.db.select().from(seenDevices).where(and(eq(seenDevices.userId, ada.id), eq(seenDevices.browser, "Chrome"), eq(seenDevices.os, "macOS")));
    expect(rows.map((r) => ({ network: r.network, first: r.firstSeenAt.toISOString(), last: r.lastSeenAt.toISOString() })).sort((a, b) => a.network.localeCompare(b.network))).toEqual([
      { network: "198.51.100.0/24", first: day(3).toISOString(), last: day(3).toISOString() },
      { network: "203.0.113.0/24", first: day(0).toISOString(), last: day(500).toISOString() },
    ]);
  });

  it("is checked where every sign-in opens its session", async () => {
    const [cy] = await insertMembers(database.db, [{ accountId: ada.accountId, email: "cy@acme.test", status: "active", passwordHash: "x" }]);
    const first = await database.db.transaction((tx) => openSession(tx, cy.id, { ip: "203.0.113.5", userAgent: CHROME_MAC }));
    expect(await findSessionPrincipal(database.db, first, { idleMinutes: 60 })).not.toBeNull();
    expect(await notices(cy)).toEqual([]);
    await database.db.transaction((tx) => openSession(tx, cy.id, { ip: "203.0.113.5", userAgent: FIREFOX_MAC }));
    expect((await notices(cy)).map((n) => n.subject)).toEqual(["New sign-in to your Roster account"]);
  });
});
