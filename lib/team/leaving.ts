import { randomBytes } from "node:crypto";
import type { Executor } from "@/db/client";
import { countOtherActiveAdmins, findVisibleMember } from "@/db/queries/members";
import { deleteEmail, deleteUserRow, encryptedBodiesOf, eraseMemberData, redactAuditTrail, rowIsReferenced, setEmailBody, type Erasure } from "@/db/queries/erasure";
import { ownedCountsByKind, reassignOwner } from "@/db/queries/resources";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { holdsAdminRole } from "@/lib/auth/permissions";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { now } from "@/lib/clock";
import { config } from "@/lib/config";
import { decrypt, encrypt } from "@/lib/crypto";
import { KIND_LABELS, type ResourceKindName } from "@/lib/resources/kinds";
import type { Principal } from "@/lib/auth/principal";
import { accounts } from "@/db/schema";
import { eq } from "drizzle-orm";
import { ANONYMISED_DOMAIN, assertOutranks, isAnonymised, LAST_ADMIN, visibleMemberOrRefuse } from "./members";

/** T4: what ties a person to the account — the resources they own, counted by kind. */
export type Ties = { kind: ResourceKindName; count: number }[];

export const tiesOf = (db: Executor, member: { id: string; accountId: string }): Promise<Ties> => ownedCountsByKind(db, member.accountId, member.id);

export const describeTies = (ties: Ties) => ties.map(({ kind, count }) => `${count} ${(count === 1 ? KIND_LABELS[kind].one : KIND_LABELS[kind].many).toLowerCase()}`).join(", ");

const who = (member: { name: string; email: string }) => member.name || member.email;

/** T4: serialises changes to the account's Admins (as disabling does). */
async function lockAccount(tx: Executor, accountId: string) {
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for("no key update");
}

async function assertRemovable(tx: Executor, principal: Principal, member: { id: string; status: string }, doing: string) {
  if (member.id === principal.id) refuse(`You cannot ${doing} your own account.`);
  const roles = await assertOutranks(tx, principal, member, doing);
  if (member.status === "active" && holdsAdminRole(roles) && (await countOtherActiveAdmins(tx, principal.accountId, member.id)) === 0) refuse(LAST_ADMIN);
}

/** Checks before a step-up code is sent. */
export async function checkDelete(db: Executor, principal: Principal, userId: string) {
  const member = await visibleMemberOrRefuse(db, principal, userId, "members.delete");
  if (member.status === "invited") refuse("Revoke the invitation instead.");
  const ties = await tiesOf(db, member);
  if (ties.length) refuse(`${who(member)} owns ${describeTies(ties)}: transfer them to someone else first, or disable or anonymise ${who(member)} instead.`);
  await assertRemovable(db, principal, member, "delete");
  return member;
}

/**
 * T4: deletes a member who owns nothing. Their row goes with everything hanging off it —
 * unless the audit log names them as the one who acted (or they invited someone): the
 * append-only, hash-chained log keeps pointing at them, so the row stays behind as an
 * anonymised, disabled placeholder ("Deleted member 7F3A") with nothing personal left.
 */
export async function deleteMember(tx: Executor, actor: Actor, input: { userId: string }) {
  const { principal } = actor;
  await lockAccount(tx, principal.accountId);
  const member = await visibleMemberOrRefuse(tx, principal, input.userId, "members.delete", true);
  if (member.status === "invited") refuse("Revoke the invitation instead.");
  const ties = await tiesOf(tx, member);
  if (ties.length) refuse(`${who(member)} owns ${describeTies(ties)}: transfer them to someone else first, or disable or anonymise ${who(member)} instead.`);
  await assertRemovable(tx, principal, member, "delete");
  const label = who(member);
  // Their name and address go from the audit trail and queued mail either way.
  const kept = await rowIsReferenced(tx, member.id);
  await erase(tx, member, "Deleted member");
  if (!kept) await deleteUserRow(tx, member.id);
  await recordAuditBy(tx, actor, { action: "member.deleted", target: { type: "user", id: member.id }, details: { placeholderKept: kept } });
  return { id: member.id, name: label };
}

/** Checks before a step-up code is sent: `confirmEmail` must be the member's address. */
export async function checkAnonymise(db: Executor, principal: Principal, input: { userId: string; confirmEmail: string }) {
  const member = await visibleMemberOrRefuse(db, principal, input.userId, "members.delete");
  if (member.status === "invited") refuse("Revoke the invitation instead.");
  if (isAnonymised(member)) refuse("This member has been anonymised already.");
  if (input.confirmEmail.trim().toLowerCase() !== member.email) refuse(`Type ${member.email} exactly to confirm.`, "invalid");
  await assertRemovable(db, principal, member, "anonymise");
  return member;
}

/**
 * T4 (GDPR): disables the member and irreversibly overwrites their personal data with a
 * placeholder ("Former member 7F3A"); every session and key ends. Their resources stay,
 * owned by the placeholder, and the audit trail is rewritten to name the placeholder and
 * re-chained (README: Leaving people) — the old name and address remain nowhere.
 */
export async function anonymiseMember(tx: Executor, actor: Actor, input: { userId: string; confirmEmail: string }) {
  const { principal } = actor;
  await lockAccount(tx, principal.accountId);
  const member = await checkAnonymise(tx, principal, input);
  const { placeholder, redaction } = await erase(tx, member, "Former member");
  await recordAuditBy(tx, actor, { action: "member.anonymised", target: { type: "user", id: member.id }, details: { placeholder, auditRowsRewritten: redaction.rewritten, rechainedFromId: redaction.fromId } });
  return { id: member.id, placeholder };
}

async function erase(tx: Executor, member: { id: string; accountId: string; name: string; email: string }, prefix: string) {
  const code = randomBytes(2).toString("hex").toUpperCase();
  const placeholder = `${prefix} ${code}`;
  const erasure: Erasure = {
    userId: member.id,
    accountId: member.accountId,
    old: [member.email, member.name].filter((text) => text.trim().length > 0),
    name: placeholder,
    email: `former-${code.toLowerCase()}-${randomBytes(4).toString("hex")}@${ANONYMISED_DOMAIN}`,
  };
  await deletePendingSignIns(tx, member.id);
  await eraseMemberData(tx, erasure, now());
  await redactBodies(tx, erasure);
  const redaction = await redactAuditTrail(tx, erasure);
  return { placeholder, redaction };
}

/**
 * Queued email bodies are encrypted: each one of the account's (or to the member) is
 * decrypted and rewritten where it names them; one to the member not yet sent (waiting,
 * or stored for the Mailbox) is deleted — there is nobody to send it to.
 */
async function redactBodies(tx: Executor, erasure: Erasure) {
  const key = config().encryptionKey;
  for (const row of await encryptedBodiesOf(tx, erasure.accountId, erasure.userId)) {
    if (row.userId === erasure.userId && row.status !== "sent") {
      await deleteEmail(tx, row.id);
      continue;
    }
    let body: string;
    try {
      body = decrypt(row.bodyEncrypted!, key);
    } catch {
      await setEmailBody(tx, row.id, null);
      continue;
    }
    let next = body;
    for (const old of [...erasure.old].sort((a, b) => b.length - a.length)) {
      const to = old.includes("@") ? erasure.email : erasure.name;
      next = next.split(old).join(to).split(JSON.stringify(old).slice(1, -1)).join(JSON.stringify(to).slice(1, -1));
    }
    if (next !== body) await setEmailBody(tx, row.id, encrypt(next, key));
  }
}

/** Checks before a step-up code is sent. */
export async function checkTransfer(db: Executor, principal: Principal, input: { fromUserId: string; toUserId: string }) {
  const from = await visibleMemberOrRefuse(db, principal, input.fromUserId, "members.delete");
  const to = await findVisibleMember(db, principal, { staffEmailDomain: config().staffEmailDomain }, input.toUserId);
  if (!to || to.status !== "active") refuse("Choose an active member to hand the resources to.", "invalid");
  if (to.id === from.id) refuse("Choose someone else to hand the resources to.", "invalid");
  return { from, to };
}

/** T3, T4: hands some (`resourceIds`) or all of a person's resources to another active member. */
export async function transferOwnership(tx: Executor, actor: Actor, input: { fromUserId: string; toUserId: string; resourceIds: string[] | null }) {
  const { from, to } = await checkTransfer(tx, actor.principal, input);
  const moved = await reassignOwner(tx, from.accountId, from.id, to.id, input.resourceIds);
  if (!moved.length) refuse(`${who(from)} owns none of these.`);
  await recordAuditBy(tx, actor, {
    action: "resource.ownership_transferred",
    target: { type: "user", id: from.id },
    details: { to: to.id, resources: moved.map((resource) => resource.id), count: moved.length },
  });
  return { moved: moved.length, from: who(from), to: who(to) };
}
