import { ConsoleShell } from "@/components/shell/console-shell";
import { can, leadsATeam } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // Convenience only: every page and action checks the session again itself.
  const user = await requireUser();
  const cfg = config();
  return (
    <ConsoleShell
      appName={cfg.appName}
      user={user}
      showUserManagement={can(user, "members.read")}
      showRoles={can(user, "roles.manage")}
      showUnits={can(user, "units.manage")}
      showProperties={can(user, "properties.manage")}
      showAudit={can(user, "audit.read")}
      showReviews={can(user, "reviews.manage")}
      showProvisioning={can(user, "provisioning.manage")}
      showActivity={can(user, "activity.read")}
      showOverview={can(user, "security.overview")}
      showMailbox={!cfg.email.resendApiKey}
      showResources={can(user, "content.view")}
      showTeams={can(user, "teams.manage") || leadsATeam(user)}
      showConnections={can(user, "connections.manage")}
      twoFactorDeadline={user.twoFactorGate.state === "grace" ? user.twoFactorGate.deadline : undefined}
    >
      {children}
    </ConsoleShell>
  );
}
