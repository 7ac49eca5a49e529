"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { readIdentityProviderTest, removeIdentityProviderAction, saveIdentityProviderAction, startIdentityProviderTest } from "@/app/(console)/settings/identity-provider/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { IDP_PRESETS, TEST_MESSAGE } from "@/lib/connections/presets";

export type SavedProvider = { slug: string; issuer: string; clientId: string; emailDomains: string[]; ssoOnly: boolean; secretSet: boolean } | null;

type TestState = { outcome: "running" | "passed" | "failed"; message: string } | null;

/**
 * B5: the identity provider's settings, a test sign-in in a popup with the unsaved values,
 * and saving or removing (each after "Verify it's you"). The secret is never shown again.
 */
export function IdentityProviderForm({ saved, defaultSlug }: { saved: SavedProvider; defaultSlug: string }) {
  const router = useRouter();
  const runSensitive = useStepUp();
  const [form, setForm] = useState({
    slug: saved?.slug ?? defaultSlug,
    issuer: saved?.issuer ?? "",
    clientId: saved?.clientId ?? "",
    clientSecret: "",
    emailDomains: saved?.emailDomains.join(", ") ?? "",
    ssoOnly: saved?.ssoOnly ?? false,
  });
  const [busy, setBusy] = useState<"save" | "remove" | "test" | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const [test, setTest] = useState<TestState>(null);
  const testId = useRef<string | null>(null);

  useEffect(() => {
    const onMessage = async (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.data?.type !== TEST_MESSAGE || event.data.testId !== testId.current) return;
      const result = await readIdentityProviderTest({ testId: event.data.testId });
      setTest(result.ok ? result.data : { outcome: "failed", message: result.error ?? "Something went wrong." });
      setBusy(null);
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, []);

  const draft = () => ({
    issuer: form.issuer,
    clientId: form.clientId,
    clientSecret: form.clientSecret,
    emailDomains: form.emailDomains.split(/[\s,]+/).filter(Boolean),
    ssoOnly: form.ssoOnly,
  });

  const runTest = async () => {
    // Opened on the click itself, so pop-up blockers let it through; pointed at the flow once the draft is stored.
    const popup = window.open("about:blank", "roster-idp-test", "popup,width=520,height=720");
    if (!popup) {
      setTest({ outcome: "failed", message: "The browser blocked the test window. Allow pop-ups for this site and try again." });
      return;
    }
    setBusy("test");
    setTest({ outcome: "running", message: "Sign in at your identity provider in the window that opened." });
    const started = await startIdentityProviderTest(draft());
    if (!started.ok) {
      popup.close();
      setBusy(null);
      setTest({ outcome: "failed", message: started.error ?? "Something went wrong." });
      return;
    }
    testId.current = started.data.testId;
    popup.location.href = `/api/connections/idp-test/${started.data.testId}/start`;
  };

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy("save");
    setMessage(null);
    const result = await runSensitive(saveIdentityProviderAction, { ...draft(), slug: form.slug });
    setBusy(null);
    if (result.ok) {
      setMessage({ text: "The identity provider was saved.", tone: "ok" });
      setForm((current) => ({ ...current, clientSecret: "" }));
      router.refresh();
    } else setMessage({ text: failureText(result), tone: "error" });
  };

  const remove = async () => {
    setBusy("remove");
    setMessage(null);
    const result = await runSensitive(removeIdentityProviderAction, {});
    setBusy(null);
    if (result.ok) {
      setMessage({ text: "The identity provider was removed.", tone: "ok" });
      router.refresh();
    } else setMessage({ text: failureText(result), tone: "error" });
  };

  return (
    <form onSubmit={save} aria-label="Identity provider" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Start from a preset</legend>
        <div className="flex flex-wrap gap-2">
          {Object.values(IDP_PRESETS).map((preset) => (
            <Button key={preset.label} type="button" variant="secondary" onClick={() => setForm({ ...form, issuer: preset.issuer })}>
              {preset.label}
            </Button>
          ))}
        </div>
      </fieldset>
      <Field
        id="idp-issuer"
        label="Issuer URL"
        hint="For Microsoft Entra ID, put your directory (tenant) ID in place of {tenant-id}."
        value={form.issuer}
        onChange={(e) => setForm({ ...form, issuer: e.target.value })}
      />
      <Field id="idp-client-id" label="Client ID" value={form.clientId} onChange={(e) => setForm({ ...form, clientId: e.target.value })} />
      <Field
        id="idp-client-secret"
        label="Client secret"
        type="password"
        autoComplete="off"
        hint={saved?.secretSet ? "A secret is set. It is stored encrypted and never shown again; leave this empty to keep it." : "Stored encrypted; never shown again."}
        value={form.clientSecret}
        onChange={(e) => setForm({ ...form, clientSecret: e.target.value })}
      />
      <Field
        id="idp-domains"
        label="Email domains"
        hint="Comma-separated, such as example.com. People of these domains are sent to this identity provider once the domain is verified."
        value={form.emailDomains}
        onChange={(e) => setForm({ ...form, emailDomains: e.target.value })}
      />
      <Field
        id="idp-slug"
        label="Sign-in name"
        hint="Names the redirect URI below; lower-case letters, digits and dashes."
        value={form.slug}
        onChange={(e) => setForm({ ...form, slug: e.target.value })}
      />
      <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
        <input type="checkbox" checked={form.ssoOnly} onChange={(e) => setForm({ ...form, ssoOnly: e.target.checked })} />
        SSO only: members sign in only through the identity provider, which manages membership
      </label>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" busy={busy === "test"} onClick={runTest}>
          Test sign-in
        </Button>
        <Button type="submit" busy={busy === "save"}>
          Save identity provider
        </Button>
        {saved ? (
          <Button type="button" variant="danger" busy={busy === "remove"} onClick={remove}>
            Remove identity provider
          </Button>
        ) : null}
      </div>
      <div role="region" aria-label="Test sign-in result" aria-live="polite" className="text-sm">
        {test ? (
          <p className={test.outcome === "passed" ? "text-green-800" : test.outcome === "failed" ? "text-red-700" : "text-slate-700"}>
            <strong>{test.outcome === "passed" ? "Test passed: " : test.outcome === "failed" ? "Test failed: " : ""}</strong>
            {test.message}
          </p>
        ) : null}
      </div>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
