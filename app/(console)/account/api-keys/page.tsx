import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ApiKeysPanel } from "@/components/api-keys/api-keys-panel";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { listApiKeys } from "@/lib/api-keys";
import { requireUser } from "@/lib/auth/session";
import { scopesAvailableTo } from "@/lib/api-keys";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const user = await requireUser();
  const keys = await listApiKeys(await getDb(), user);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return (
    <section className="max-w-4xl space-y-4">
      <h1 className="text-2xl font-semibold">API keys</h1>
      <p className="text-sm text-slate-600">
        Keys authenticate requests to the JSON API (<a className="underline" href="/api/v1/openapi.json">OpenAPI description</a>) as you, with your permissions,
        and only for the scopes you give each key.
      </p>
      <StepUpProvider>
        <ApiKeysPanel
          availableScopes={scopesAvailableTo(user)}
          keys={keys.map((k) => ({ ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: iso(k.lastUsedAt), expiresAt: iso(k.expiresAt), revokedAt: iso(k.revokedAt) }))}
        />
      </StepUpProvider>
    </section>
  );
}
