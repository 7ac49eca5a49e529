import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase, wholeAccountViewer } from "@/db/testing";
import { accounts, emailOutbox } from "@/db/schema";
import { enqueueEmail, listDeliveries } from "./outbox";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let acmeId: string;

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  acmeId = acme.id;
  const send = (accountId: string, to: string, subject: string) =>
    enqueueEmail(database.db, { accountId, to, subject, text: `secret link for ${to}: https://roster.test/reset/abc`, kind: "password-reset" });
  await send(acme.id, "pat@acme.test", "Reset your password");
  await send(acme.id, "helper@vendor.test", "Your verification code");
  await send(globex.id, "otto@globex.test", "Reset your password");
  const failed = await send(acme.id, "lee@acme.test", "Welcome");
  await database.db.update(emailOutbox).set({ status: "failed", attempts: 8, lastError: "validation_error: invalid recipient" }).where(eq(emailOutbox.id, failed!));
});
afterAll(() => database.close());

describe("email delivery status (I2)", () => {
  it("shows an account's own messages with their status and error, never their bodies", async () => {
    const rows = await listDeliveries(database.db, wholeAccountViewer({ accountId: acmeId, email: "admin@acme.test" }), "vendor.test");
    expect(rows.map((r) => r.toAddress).sort()).toEqual(["lee@acme.test", "pat@acme.test"]);
    expect(rows.find((r) => r.toAddress === "lee@acme.test")).toMatchObject({ status: "failed", attempts: 8, lastError: "validation_error: invalid recipient" });
    for (const row of rows) {
      expect(row).not.toHaveProperty("bodyEncrypted");
      expect(JSON.stringify(row)).not.toContain("secret link");
    }
  });

  it("leaves mail to the vendor's staff out, unless the viewer is staff (T6)", async () => {
    const staffView = await listDeliveries(database.db, wholeAccountViewer({ accountId: acmeId, email: "boss@vendor.test" }), "vendor.test");
    expect(staffView.map((r) => r.toAddress)).toContain("helper@vendor.test");
    const noPolicy = await listDeliveries(database.db, wholeAccountViewer({ accountId: acmeId, email: "admin@acme.test" }));
    expect(noPolicy).toHaveLength(3);
  });
});
