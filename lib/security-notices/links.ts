import type { Executor } from "@/db/client";
import { findThisWasntMeLink, insertThisWasntMeLink } from "@/db/queries/security-notices";
import { config } from "@/lib/config";
import { randomToken, safeEqual, sha256 } from "@/lib/crypto";

export const THIS_WASNT_ME_TTL_DAYS = 7;
// A selector (16 characters) finds the row; the verifier (43 characters, 256 bits) proves
// the link. Only the verifier's hash is stored, and it is compared in constant time.
const SELECTOR_LENGTH = 16;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{59}$/;

export const thisWasntMePath = (token: string) => `/this-wasnt-me/${token}`;

/**
 * O4: a new single-use "This wasn't me" link for the person, in the caller's transaction
 * (it exists exactly when the email that carries it does). `notice` says which email.
 */
export async function issueThisWasntMeLink(tx: Executor, userId: string, notice: string): Promise<string> {
  const selector = randomToken(12);
  const verifier = randomToken(32);
  await insertThisWasntMeLink(tx, { userId, selector, verifierHash: sha256(verifier), notice, ttlDays: THIS_WASNT_ME_TTL_DAYS });
  return `${config().appUrl}${thisWasntMePath(selector + verifier)}`;
}

type LinkRow = NonNullable<Awaited<ReturnType<typeof findThisWasntMeLink>>>;
export type ThisWasntMeLinkState = { state: "valid"; link: LinkRow["link"]; user: LinkRow["user"] } | { state: "invalid" | "expired" | "used" };

/** What a link is worth now. Reading it changes nothing (a GET must not act: mail scanners open links). */
export async function lookUpThisWasntMeLink(db: Executor, token: string, lock = false): Promise<ThisWasntMeLinkState> {
  if (!TOKEN_SHAPE.test(token)) return { state: "invalid" };
  const row = await findThisWasntMeLink(db, token.slice(0, SELECTOR_LENGTH), lock);
  if (!row || !safeEqual(row.link.verifierHash, sha256(token.slice(SELECTOR_LENGTH)))) return { state: "invalid" };
  if (row.user.status !== "active") return { state: "invalid" };
  if (row.link.usedAt) return { state: "used" };
  if (row.expired) return { state: "expired" };
  return { state: "valid", link: row.link, user: row.user };
}
