import { randomInt } from "node:crypto";
import type { Tx } from "@/db/client";
import { insertMembers } from "@/db/queries/users";
import { recordAuditBy } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { passwordProblems } from "@/lib/auth/password-policy";
import { randomToken } from "@/lib/crypto";
import type { Actor } from "@/lib/actions/actor";
import { addUnitMember } from "@/db/queries/units";
import { unitToJoin } from "./invitations";
import { WORKSTATION_ROLE } from "./roles";
import { WORKSTATION_DOMAIN } from "./workstation-address";

const slug = (name: string) =>
  name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30) || "workstation";

/** 24 random characters with every character class the password rules ask for. */
function generatedPassword(): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  const password = `${randomToken(18)}${letters[randomInt(letters.length)]}${letters[randomInt(letters.length)].toLowerCase()}${randomInt(10)}!`;
  if (passwordProblems(password).length) throw new Error("generated workstation password breaks the rules");
  return password;
}

/**
 * A3: a shared workstation, bound to a place ("Front desk — Plant 2"), with no personal
 * details: it signs in with a generated name (which no mail can reach) and a generated
 * password, both shown once to the admin who made it, and holds only the Shared
 * workstation role.
 */
export async function createWorkstation(tx: Tx, actor: Actor, input: { name: string; location: string; unitId?: string | null }) {
  const { principal } = actor;
  const unit = await unitToJoin(tx, principal, input.unitId);
  const signInName = `${slug(input.name)}-${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, "x")}@${WORKSTATION_DOMAIN}`;
  const password = generatedPassword();
  const [workstation] = await insertMembers(
    tx,
    [{ accountId: principal.accountId, email: signInName, name: input.name, kind: "workstation", location: input.location, status: "active", passwordHash: await hashPassword(password), roles: [WORKSTATION_ROLE] }],
    principal.id,
  );
  if (unit) await addUnitMember(tx, unit.id, workstation.id);
  await recordAuditBy(tx, actor, {
    action: "workstation.created",
    target: { type: "user", id: workstation.id },
    details: { name: input.name, location: input.location, signInName, ...(unit ? { unit: unit.name } : {}) },
  });
  return { id: workstation.id, signInName, password };
}
