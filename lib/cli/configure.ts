/**
 * `npm run configure -- sso --account Acme --slug acme --issuer https://login.example.com
 *    --client-id … --client-secret … --domains acme.com[,acme.co.uk] [--sso-only]`
 * `npm run configure -- slack --account Acme --team-id T0123 --team-name "Acme HQ"`
 * `npm run configure -- slack --account Acme --disconnect`
 *
 * Connects an account to its OpenID Connect identity provider (register the callback
 * {APP_URL}/api/auth/callback/sso-<slug> at the IdP) or to its Slack workspace — with the
 * same operations as Settings in the console (lib/connections, lib/slack), audited as done
 * by the operator. The operator's --domains count as verified (B5): whoever runs the
 * server vouches for them, and their people join as Members. With the embedded database,
 * stop the console first.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { getDatabase } from "@/db/client";
import { accounts } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { vouchForDomains } from "@/lib/connections/domains";
import { identityProviderInput, saveIdentityProvider } from "@/lib/connections/identity-provider";
import { connectSlack, disconnectSlack, slackEventsUrl, slackWorkspaceInput } from "@/lib/slack/settings";

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      account: { type: "string" },
      slug: { type: "string" },
      issuer: { type: "string" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      domains: { type: "string" },
      "sso-only": { type: "boolean", default: false },
      "team-id": { type: "string" },
      "team-name": { type: "string" },
      disconnect: { type: "boolean", default: false },
    },
  });
  const parse = <T>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown): T => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${String(i.path[0] ?? "")}: ${i.message}`).join("; "));
    return parsed.data;
  };
  if (!values.account?.trim()) throw new Error("--account is required");
  const { db, close } = await getDatabase();
  try {
    const [account] = await db.select().from(accounts).where(eq(accounts.name, values.account.trim()));
    if (!account) throw new Error(`No account named "${values.account}"`);
    const by = { operator: "cli" as const, accountId: account.id };
    if (command === "sso") {
      const input = parse(identityProviderInput, {
        slug: values.slug,
        issuer: values.issuer,
        clientId: values["client-id"],
        clientSecret: values["client-secret"] ?? "",
        emailDomains: (values.domains ?? "").split(",").map((d) => d.trim()).filter(Boolean),
        ssoOnly: values["sso-only"],
      });
      const saved = await db.transaction(async (tx) => {
        const result = await saveIdentityProvider(tx, by, input);
        await vouchForDomains(tx, by, input.emailDomains);
        return result;
      });
      console.log(`${account.name} signs in through ${input.issuer}. Register this redirect URI at the IdP: ${saved.redirectUri}`);
    } else if (command === "slack" && values.disconnect) {
      const removed = await db.transaction((tx) => disconnectSlack(tx, by));
      console.log(`${account.name} is no longer connected to the Slack workspace ${removed.teamName} (${removed.teamId}).`);
    } else if (command === "slack") {
      const input = parse(slackWorkspaceInput, { teamId: values["team-id"], teamName: values["team-name"] });
      await db.transaction((tx) => connectSlack(tx, by, input));
      console.log(`${account.name} is connected to the Slack workspace ${input.teamName} (${input.teamId}). Events URL: ${slackEventsUrl()}`);
    } else {
      throw new Error("Usage: npm run configure -- sso|slack --account <name> …");
    }
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error instanceof ActionRefusal || error instanceof Error ? error.message : error);
  process.exit(1);
});
