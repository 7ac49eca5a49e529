import { bigint, boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { bytea } from "./columns";

/**
 * B1: a person's WebAuthn passkeys. The public key is no secret, but what the browser sends
 * at sign-in (the assertion) is never logged. The counter is the authenticator's signature
 * count: a value that does not go up betrays a cloned authenticator (synced passkeys report 0).
 */
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The credential ID, base64url, as the browser names it. */
    credentialId: text("credential_id").notNull(),
    /** COSE-encoded public key. */
    publicKey: bytea("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default([]),
    /** The authenticator's model (all zeros when it does not say). */
    aaguid: text("aaguid").notNull(),
    /** "singleDevice" or "multiDevice" (synced), and whether it is backed up now. */
    deviceType: text("device_type").notNull(),
    backedUp: boolean("backed_up").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("passkeys_credential_id_unique").on(t.credentialId), index("passkeys_user_idx").on(t.userId)],
);

/** What a WebAuthn challenge was issued for. */
export const webauthnCeremony = pgEnum("webauthn_ceremony", ["registration", "sign-in", "second-factor"]);

/**
 * B1: a WebAuthn challenge, server-made, single use and short-lived. Keyed by the hash of a
 * random token in an httpOnly cookie (so only the browser that asked can answer it), bound
 * to the person and to their session (registration) or pending sign-in (second factor), and
 * deleted when it is answered, rightly or not. The challenge itself is stored hashed.
 */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    tokenHash: text("token_hash").primaryKey(),
    ceremony: webauthnCeremony("ceremony").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the session (registration) or of the pending sign-in grant (second factor). */
    bindingHash: text("binding_hash"),
    challengeHash: text("challenge_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webauthn_challenges_expires_idx").on(t.expiresAt), index("webauthn_challenges_user_idx").on(t.userId)],
);

export type Passkey = typeof passkeys.$inferSelect;
