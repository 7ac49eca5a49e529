import { Resolver } from "node:dns/promises";
import { config } from "@/lib/config";

/** What an admin publishes to prove they hold a domain (B5). */
export function verificationRecord(domain: string, token: string) {
  return { name: `_roster-verification.${domain}`, type: "TXT" as const, value: `roster-verification=${token}` };
}

export type TxtLookup = (name: string) => Promise<{ ok: true; values: string[] } | { ok: false; reason: string }>;

/**
 * The TXT records at a name, asked of ROSTER_DNS_SERVER when set (tests run their own),
 * the system's resolvers otherwise. A missing name is an empty answer, not an error.
 */
export function txtLookup(server = config().dnsServer): TxtLookup {
  return async (name) => {
    const resolver = new Resolver({ timeout: 3000, tries: 2 });
    if (server) resolver.setServers([server]);
    try {
      return { ok: true, values: (await resolver.resolveTxt(name)).map((chunks) => chunks.join("")) };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "ENOTFOUND" || code === "ENODATA") return { ok: true, values: [] };
      return { ok: false, reason: `the DNS lookup failed (${code ?? "unknown error"})` };
    }
  };
}
