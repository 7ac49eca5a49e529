import { insertMembers } from "@/db/queries/users";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { accounts, slackConnections } from "@/db/schema";
import { startMockSlack } from "@/e2e/mock-servers/slack";
import { resetConfigForTests } from "@/lib/config";
import { signSlackRequest } from "./signature";

const SECRET = "slack-signing-secret-for-tests";
let mock: Awaited<ReturnType<typeof startMockSlack>>;
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let POST: (req: Request) => Promise<Response>;
let acmeId: string;

const mention = (user: string, team = "T0ACME", extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "event_callback", team_id: team, event: { type: "app_mention", user, channel: "C1", ts: `${Date.now()}.000${Math.random()}`.slice(0, 20), text: "<@bot> hi", ...extra } });

function slackRequest(body: string, options: { timestamp?: number; signature?: string } = {}) {
  const signed = signSlackRequest(body, SECRET, options.timestamp);
  return new Request("http://roster.test/api/slack/events", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-slack-request-timestamp": signed.timestamp, "x-slack-signature": options.signature ?? signed.signature },
  });
}

beforeAll(async () => {
  mock = await startMockSlack({ UMEMBER: "member@acme.test", UOUTSIDER: "someone@elsewhere.test", UDISABLED: "gone@acme.test" });
  process.env.SLACK_SIGNING_SECRET = SECRET;
  process.env.SLACK_BOT_TOKEN = "xoxb-test";
  process.env.SLACK_API_URL = mock.url;
  resetConfigForTests();
  database = await useFreshDatabase();
  const [acme] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  acmeId = acme.id;
  await insertMembers(database.db, [
    { accountId: acme.id, email: "member@acme.test", status: "active" },
    { accountId: acme.id, email: "gone@acme.test", status: "disabled" },
  ]);
  await database.db.insert(slackConnections).values({ accountId: acme.id, teamId: "T0ACME", teamName: "Acme HQ" });
  ({ POST } = await import("@/app/api/slack/events/route"));
});

afterAll(async () => {
  await database.close();
  await mock.close();
  for (const key of ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_API_URL"]) delete process.env[key];
  resetConfigForTests();
});

beforeEach(() => {
  mock.posted.length = 0;
});

describe("Slack events (I1)", () => {
  it("answers url_verification", async () => {
    const res = await POST(slackRequest(JSON.stringify({ type: "url_verification", challenge: "abc123" })));
    expect(await res.json()).toEqual({ challenge: "abc123" });
  });

  it("lets a member through", async () => {
    const res = await POST(slackRequest(mention("UMEMBER")));
    expect(await res.json()).toMatchObject({ outcome: "allowed-member" });
    expect(mock.posted).toHaveLength(1);
    expect(mock.posted[0].text).toMatch(/^On it/);
    expect(mock.posted[0].thread_ts).toBeTruthy();
  });

  it("refuses a non-member (and a disabled member) with a polite message while the toggle is off", async () => {
    for (const user of ["UOUTSIDER", "UDISABLED"]) {
      const res = await POST(slackRequest(mention(user)));
      expect(await res.json()).toMatchObject({ outcome: "refused" });
    }
    expect(mock.posted).toHaveLength(2);
    for (const message of mock.posted) expect(message.text).toMatch(/^Sorry <@U\w+>, only members of Roster/);
  });

  it("lets non-members through when the toggle is on", async () => {
    await database.db.update(slackConnections).set({ allowNonMembers: true }).where(eq(slackConnections.accountId, acmeId));
    const res = await POST(slackRequest(mention("UOUTSIDER")));
    expect(await res.json()).toMatchObject({ outcome: "allowed-non-members-on" });
    await database.db.update(slackConnections).set({ allowNonMembers: false }).where(eq(slackConnections.accountId, acmeId));
  });

  it("refuses a bad signature, an old timestamp and a replayed request with 401, posting nothing", async () => {
    const body = mention("UMEMBER");
    const bad = await POST(slackRequest(body, { signature: `v0=${"0".repeat(64)}` }));
    const old = await POST(slackRequest(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }));
    const unsigned = await POST(new Request("http://roster.test/api/slack/events", { method: "POST", body }));
    for (const res of [bad, old, unsigned]) expect(res.status).toBe(401);

    const original = slackRequest(body);
    const replay = original.clone();
    expect((await POST(original)).status).toBe(200);
    expect((await POST(replay)).status).toBe(401);
    expect(mock.posted).toHaveLength(1);
  });

  it("refuses malformed payloads and unknown workspaces clearly, creating nothing", async () => {
    const cases: [string, number][] = [
      ["{nope", 400],
      [JSON.stringify({ type: "event_callback" }), 400],
      [JSON.stringify({ type: "something_else" }), 400],
      [JSON.stringify({ type: "event_callback", team_id: "T0ACME", event: { type: "app_mention" } }), 400],
      [mention("UMEMBER", "T0UNKNOWN"), 404],
    ];
    for (const [body, status] of cases) expect((await POST(slackRequest(body))).status, body).toBe(status);
    expect(mock.posted).toHaveLength(0);
    expect(await database.db.select().from(slackConnections)).toHaveLength(1);
  });
});
