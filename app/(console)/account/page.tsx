import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { getProfile, listWorkspaceOptions } from "@/db/queries/profile";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { DetailsForm } from "@/components/account/details-form";
import { CommunicationForm, PreferencesForm } from "@/components/account/preferences-form";
import { Badge } from "@/components/ui/badge";
import { requireUser } from "@/lib/auth/session";
import { applicationAccessOf } from "@/lib/apps/access";

export const metadata: Metadata = { title: "Personal Account" };

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  const id = `card-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={id} className="mb-3 text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** P5: the landing page after sign-in, which honours the member's preferences. */
export default async function PersonalAccountPage() {
  const user = await requireUser();
  const db = await getDb();
  const [profile, options, apps] = await Promise.all([getProfile(db, user.id), listWorkspaceOptions(db, user.accountId), applicationAccessOf(db, user.id)]);
  const line = options.linesOfBusiness.find((o) => o.id === profile.defaultLineOfBusinessId);
  // Highlighted sub-accounts come first, marked; the rest follow.
  const isHighlighted = (id: string) => profile.highlightedSubAccountIds.includes(id);
  const subAccounts = [...options.subAccounts].sort((a, b) => Number(isHighlighted(b.id)) - Number(isHighlighted(a.id)));
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Personal Account</h1>
      <Card title="Your workspace">
        <dl className="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Line of business</dt>
          <dd>{line?.name ?? "None chosen"}</dd>
          <dt className="text-slate-500">Sub-accounts</dt>
          <dd>
            {subAccounts.length ? (
              <ul aria-label="Sub-accounts" className="flex flex-wrap gap-2">
                {subAccounts.map((o) => (
                  <li key={o.id}>{isHighlighted(o.id) ? <Badge tone="blue">★ {o.name} (highlighted)</Badge> : <Badge>{o.name}</Badge>}</li>
                ))}
              </ul>
            ) : (
              "None"
            )}
          </dd>
          <dt className="text-slate-500">{user.roles.length === 1 ? "Role" : "Roles"}</dt>
          <dd>{user.roles.map((role) => role.name).join(", ")}</dd>
        </dl>
      </Card>
      <Card title="Personal details">
        <DetailsForm userId={user.id} name={user.name} email={user.email} phone={profile.phone} avatarVersion={profile.avatarVersion} ssoManaged={user.ssoManaged} />
      </Card>
      <Card title="Your applications">
        {apps.length ? (
          <ul aria-label="Your applications" className="space-y-1 text-sm">
            {apps.map((app) => (
              <li key={app.key}>
                <span className="font-medium">{app.name}</span>: {app.roles.map((role) => role.name).join(", ")}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">No applications yet: an administrator can give you access.</p>
        )}
      </Card>
      <Card title="Two-Factor Authentication">
        <p className="mb-3 text-sm text-slate-700">
          {user.totpEnabled
            ? `On: every sign-in asks for a code from your authenticator app${user.hasPasskeys ? " or one of your passkeys" : ""}.`
            : user.hasPasskeys
              ? "On: every sign-in with your password asks for one of your passkeys."
              : "Off: your sign-in uses your password only."}
        </p>
        <Link href="/account/two-factor" className="text-sm font-medium text-brand-600 underline">
          {user.twoFactorEnabled ? "Manage two-factor authentication" : "Set up two-factor authentication"}
        </Link>
      </Card>
      <Card title="Security">
        <p className="mb-3 text-sm text-slate-700">Your passkeys, and where you are signed in: sign out any other browser or device.</p>
        <Link href="/account/security" className="text-sm font-medium text-brand-600 underline">
          Manage your sessions
        </Link>
      </Card>
      <Card title="Change password">
        {user.ssoManaged ? (
          <p className="text-sm text-slate-700">You sign in through your organisation&apos;s identity provider, which manages your password.</p>
        ) : (
          <ChangePasswordForm />
        )}
      </Card>
      <Card title="Preferences">
        <PreferencesForm
          linesOfBusiness={options.linesOfBusiness}
          subAccounts={options.subAccounts}
          defaultLineOfBusinessId={profile.defaultLineOfBusinessId}
          highlightedSubAccountIds={profile.highlightedSubAccountIds}
        />
      </Card>
      <Card title="Communication settings">
        <CommunicationForm productUpdates={profile.productUpdates} />
      </Card>
      <Card title="API keys">
        <p className="mb-3 text-sm text-slate-700">Keys let scripts call the JSON API as you.</p>
        <Link href="/account/api-keys" className="text-sm font-medium text-brand-600 underline">
          Manage API keys
        </Link>
      </Card>
    </div>
  );
}
