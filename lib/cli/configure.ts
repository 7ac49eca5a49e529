/**
 * `npm run configure -- sso --account Acme --slug acme --issuer https://login.example.com
 *    --client-id … --client-secret … --domains acme.com[,acme.co.uk] [--sso-only]`
 * `npm run configure -- slack --account Acme --team-id T0123 --team-name "Acme HQ"`
 *
 * Connects an account to its OpenID Connect identity provider (register the callback
 * {APP_URL}/api/auth/callback/sso-<slug> at the IdP) or to its Slack workspace. With the
 * embedded database, stop the console first.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { getDatabase } from "@/db/client";
import { accounts, identityProviders, slackConnections } from "@/db/schema";
import { config } from "@/lib/config";
import { encrypt } from "@/lib/crypto";

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
    },
  });
  const need = (name: keyof typeof values) => {
    const value = values[name];
    if (typeof value !== "string" || value.trim() === "") throw new Error(`--${name} is required`);
    return value.trim();
  };
  const { db, close } = await getDatabase();
  try {
    const [account] = await db.select().from(accounts).where(eq(accounts.name, need("account")));
    if (!account) throw new Error(`No account named "${values.account}"`);
    if (command === "sso") {
      const slug = need("slug");
      if (!/^[a-z0-9-]{2,40}$/.test(slug)) throw new Error("--slug: 2-40 lower-case letters, digits or dashes");
      const issuer = new URL(need("issuer")).toString().replace(/\/$/, "");
      const row = {
        slug,
        issuer,
        clientId: need("client-id"),
        clientSecretEncrypted: encrypt(need("client-secret")),
        emailDomains: need("domains").split(",").map((d) => d.trim().toLowerCase()).filter(Boolean),
        ssoOnly: values["sso-only"] ?? false,
      };
      await db.insert(identityProviders).values({ accountId: account.id, ...row }).onConflictDoUpdate({ target: identityProviders.accountId, set: row });
      console.log(`${account.name} signs in through ${issuer}. Register this redirect URI at the IdP: ${config().appUrl}/api/auth/callback/sso-${slug}`);
    } else if (command === "slack") {
      const row = { teamId: need("team-id"), teamName: need("team-name") };
      await db.insert(slackConnections).values({ accountId: account.id, ...row }).onConflictDoUpdate({ target: slackConnections.accountId, set: row });
      console.log(`${account.name} is connected to the Slack workspace ${row.teamName} (${row.teamId}). Events URL: ${config().appUrl}/api/slack/events`);
    } else {
      throw new Error("Usage: npm run configure -- sso|slack --account <name> …");
    }
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
