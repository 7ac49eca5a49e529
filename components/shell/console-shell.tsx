import { signOutAction } from "@/app/(console)/actions";
import Link from "next/link";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { NavLink } from "./nav-link";

type Props = {
  appName: string;
  user: { id: string; name: string; email: string; avatarVersion: number | null };
  /** Asked of `can` by the layout: the navigation shows what the principal may open. */
  showUserManagement: boolean;
  showRoles: boolean;
  showUnits: boolean;
  showProperties: boolean;
  showAudit: boolean;
  showReviews: boolean;
  /** B3: the SCIM endpoint and its tokens. */
  showProvisioning?: boolean;
  showActivity: boolean;
  showOverview: boolean;
  showMailbox: boolean;
  showResources: boolean;
  showTeams: boolean;
  /** B5: Settings → Identity provider, Verified domains, Slack. */
  showConnections: boolean;
  /** P4 grace period: the date by which enforcement requires 2FA of this user. */
  twoFactorDeadline?: Date;
  children: React.ReactNode;
};

export function ConsoleShell({ appName, user, showUserManagement, showRoles, showUnits, showProperties, showAudit, showReviews, showActivity, showOverview, showProvisioning = false, showMailbox, showResources, showTeams, showConnections, twoFactorDeadline, children }: Props) {
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      {/* A sidebar from tablet width up; above the page on a phone. */}
      <aside className="border-b border-slate-200 bg-white p-4 md:w-60 md:shrink-0 md:border-b-0 md:border-r">
        <p className="mb-2 px-3 text-lg font-semibold text-brand-700 md:mb-6">{appName}</p>
        <nav aria-label="Main">
          <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">My Account</p>
          <ul className="flex flex-wrap gap-1 md:block md:space-y-1">
            <li>
              <NavLink href="/account">Personal Account</NavLink>
            </li>
            {showResources ? (
              <li>
                <NavLink href="/resources">Resources</NavLink>
              </li>
            ) : null}
            {showUserManagement ? (
              <li>
                <NavLink href="/users">User Management</NavLink>
              </li>
            ) : null}
            {showRoles ? (
              <li>
                <NavLink href="/roles">Roles</NavLink>
              </li>
            ) : null}
            {showUnits ? (
              <li>
                <NavLink href="/units">Units</NavLink>
              </li>
            ) : null}
            {showTeams ? (
              <li>
                <NavLink href="/teams">Teams</NavLink>
              </li>
            ) : null}
            {showProperties ? (
              <li>
                <NavLink href="/properties">Properties</NavLink>
              </li>
            ) : null}
            {showAudit ? (
              <li>
                <NavLink href="/audit">Audit log</NavLink>
              </li>
            ) : null}
            {showReviews ? (
              <li>
                <NavLink href="/reviews">Access reviews</NavLink>
              </li>
            ) : null}
            {showActivity ? (
              <li>
                <NavLink href="/activity">Activity</NavLink>
              </li>
            ) : null}
            {showOverview ? (
              <li>
                <NavLink href="/overview">Security overview</NavLink>
              </li>
            ) : null}
            {showMailbox ? (
              <li>
                <NavLink href="/mailbox">Mailbox</NavLink>
              </li>
            ) : null}
          </ul>
          {showConnections || showProvisioning ? (
            <>
              <p className="px-3 pb-1 pt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Settings</p>
              <ul className="flex flex-wrap gap-1 md:block md:space-y-1">
                {showConnections ? (
                  <>
                    <li>
                      <NavLink href="/settings/identity-provider">Identity provider</NavLink>
                    </li>
                    <li>
                      <NavLink href="/settings/domains">Verified domains</NavLink>
                    </li>
                    <li>
                      <NavLink href="/settings/slack">Slack</NavLink>
                    </li>
                  </>
                ) : null}
                {showProvisioning ? (
                  <li>
                    <NavLink href="/settings/provisioning">Provisioning</NavLink>
                  </li>
                ) : null}
              </ul>
            </>
          ) : null}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-center justify-end gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-3 md:px-6">
          <Avatar userId={user.id} name={user.name || user.email} version={user.avatarVersion} />
          <span className="text-sm text-slate-600">
            Signed in as <span className="font-medium text-slate-900">{user.name || user.email}</span>
          </span>
          <form action={signOutAction}>
            <Button type="submit" variant="secondary">
              Sign out
            </Button>
          </form>
        </header>
        {twoFactorDeadline ? (
          <div role="region" aria-label="Two-factor authentication required" className="border-b border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 md:px-6">
            Your administrator requires two-factor authentication. Set it up by{" "}
            <strong>{twoFactorDeadline.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}</strong>, or you will
            be asked to before you can continue.{" "}
            <Link href="/account/two-factor" className="font-medium underline">
              Set up 2FA now
            </Link>
          </div>
        ) : null}
        <main className="min-w-0 flex-1 p-4 md:p-6">{children}</main>
      </div>
    </div>
  );
}
