/**
 * A3: a shared workstation signs in with a generated name at a domain that can never
 * receive mail (".invalid" is reserved, RFC 2606), so no code, link or notification can
 * reach it — the outbox refuses every message to one.
 */
export const WORKSTATION_DOMAIN = "workstation.invalid";

export const isWorkstationAddress = (email: string) => email.trim().toLowerCase().endsWith(`@${WORKSTATION_DOMAIN}`);
