import { and, eq, lt } from "drizzle-orm";
import * as oauth from "oauth4webapi";
import type { Executor } from "@/db/client";
import { identityProviders, identityProviderTests, type IdentityProviderTest } from "@/db/schema";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { now } from "@/lib/clock";
import { config } from "@/lib/config";
import { decrypt, encrypt, safeEqual } from "@/lib/crypto";
import type { IdentityProviderInput } from "./identity-provider";

/**
 * B5 "Test sign-in": one real OpenID Connect round trip with a configuration that is not
 * saved yet, in a popup. The draft (its secret encrypted) and the flow's state, nonce and
 * PKCE verifier stay in identity_provider_tests; the browser holds only the test's ID in
 * a cookie for the callback. Every failure is named precisely for the administrator.
 */
const TEST_LIFETIME_MS = 15 * 60 * 1000;
export const TEST_COOKIE = "roster_idp_test";
export const testRedirectUri = () => `${config().appUrl}/api/connections/idp-test/callback`;
export const testResultPath = (testId: string) => `/settings/identity-provider/test/${testId}`;

export type TestDraft = Omit<IdentityProviderInput, "slug">;

/** Keeps the draft server-side; a blank secret means the saved one. */
export async function createIdentityProviderTest(tx: Executor, actor: Actor, draft: TestDraft) {
  const { accountId, id: userId } = actor.principal;
  let secretEncrypted = draft.clientSecret.trim() ? encrypt(draft.clientSecret.trim()) : null;
  if (!secretEncrypted) {
    const [saved] = await tx.select({ secret: identityProviders.clientSecretEncrypted }).from(identityProviders).where(eq(identityProviders.accountId, accountId));
    if (!saved) refuse("Enter the client secret to test with.", "invalid");
    secretEncrypted = saved.secret;
  }
  // Old drafts go: they hold a secret and serve nothing.
  await tx.delete(identityProviderTests).where(and(eq(identityProviderTests.userId, userId), lt(identityProviderTests.createdAt, new Date(now().getTime() - TEST_LIFETIME_MS))));
  const [row] = await tx
    .insert(identityProviderTests)
    .values({ accountId, userId, issuer: draft.issuer, clientId: draft.clientId, clientSecretEncrypted: secretEncrypted, emailDomains: draft.emailDomains, createdAt: now() })
    .returning({ id: identityProviderTests.id });
  return { testId: row.id };
}

/** A test of this person's, still fresh. */
export async function findIdentityProviderTest(db: Executor, user: { id: string; accountId: string }, testId: string) {
  const [row] = await db
    .select()
    .from(identityProviderTests)
    .where(and(eq(identityProviderTests.id, testId), eq(identityProviderTests.userId, user.id), eq(identityProviderTests.accountId, user.accountId)));
  if (!row || now().getTime() - row.createdAt.getTime() > TEST_LIFETIME_MS) return null;
  return row;
}

export function describeTestResult(row: IdentityProviderTest) {
  return { outcome: row.outcome ?? ("running" as const), message: row.message ?? "The test sign-in is still running in its window." };
}

async function settle(db: Executor, testId: string, outcome: "passed" | "failed", message: string) {
  // The secret and the flow's values are of no further use.
  await db.update(identityProviderTests).set({ outcome, message: message.slice(0, 500), state: null, nonce: null, codeVerifierEncrypted: null }).where(eq(identityProviderTests.id, testId));
}

const loopbackIssuer = (issuer: URL) => issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);

async function discover(row: IdentityProviderTest) {
  const issuer = new URL(row.issuer);
  const options = { algorithm: "oidc" as const, [oauth.allowInsecureRequests]: loopbackIssuer(issuer) };
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
}

const reasonOf = (error: unknown) => {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  // oauth4webapi hands over the response it refused: its status says most (404: no discovery document there).
  if (cause instanceof Response) return `${error.message} (HTTP ${cause.status} from ${cause.url || "the issuer"})`;
  // fetch says only "fetch failed"; its cause says why (ECONNREFUSED, a certificate…).
  const why = (cause as { code?: string; message?: string } | undefined)?.code ?? (cause as { message?: string } | undefined)?.message;
  return why ? `${error.message} (${why})` : error.message;
};

/** Step 1, in the popup: discovery, then the URL of the IdP's sign-in page (or the result page when discovery failed). */
export async function beginIdentityProviderTest(db: Executor, row: IdentityProviderTest): Promise<{ redirectTo: string }> {
  let as: oauth.AuthorizationServer;
  try {
    as = await discover(row);
  } catch (error) {
    await settle(db, row.id, "failed", `Discovery failed: ${reasonOf(error)}.`);
    return { redirectTo: testResultPath(row.id) };
  }
  if (!as.authorization_endpoint) {
    await settle(db, row.id, "failed", "Discovery failed: the provider names no authorization endpoint.");
    return { redirectTo: testResultPath(row.id) };
  }
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const verifier = oauth.generateRandomCodeVerifier();
  await db.update(identityProviderTests).set({ state, nonce, codeVerifierEncrypted: encrypt(verifier), outcome: null, message: null }).where(eq(identityProviderTests.id, row.id));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: row.clientId,
    redirect_uri: testRedirectUri(),
    response_type: "code",
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    prompt: "login",
  }).toString();
  return { redirectTo: url.toString() };
}

/** Step 2, the IdP's redirect back: state, code exchange (the client's credentials), ID token, email domain. */
export async function finishIdentityProviderTest(db: Executor, row: IdentityProviderTest, callback: URL): Promise<{ outcome: "passed" | "failed"; message: string }> {
  const result = await checkCallback(row, callback);
  await settle(db, row.id, result.outcome, result.message);
  return result;
}

async function checkCallback(row: IdentityProviderTest, callback: URL): Promise<{ outcome: "passed" | "failed"; message: string }> {
  const failed = (message: string) => ({ outcome: "failed" as const, message });
  if (!row.state || !row.nonce || !row.codeVerifierEncrypted) return failed("State mismatch: this test sign-in was not started, or has already finished. Start it again.");
  const returned = callback.searchParams.get("state") ?? "";
  if (!safeEqual(returned, row.state)) return failed("State mismatch: the answer does not belong to this test sign-in (the state parameter differs). Start it again.");
  let as: oauth.AuthorizationServer;
  try {
    as = await discover(row);
  } catch (error) {
    return failed(`Discovery failed: ${reasonOf(error)}.`);
  }
  const client: oauth.Client = { client_id: row.clientId };
  const insecure = { [oauth.allowInsecureRequests]: loopbackIssuer(new URL(row.issuer)) };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callback, row.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) return failed(`The identity provider refused the sign-in: ${error.error}${error.error_description ? ` (${error.error_description})` : ""}.`);
    return failed(`The identity provider's answer was refused: ${reasonOf(error)}.`);
  }
  let claims: oauth.IDToken | undefined;
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(decrypt(row.clientSecretEncrypted)), params, testRedirectUri(), decrypt(row.codeVerifierEncrypted), insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: row.nonce, requireIdToken: true });
    claims = oauth.getValidatedIdTokenClaims(tokens);
  } catch (error) {
    // A wrong secret: invalid_client in the body, or a 401 with a WWW-Authenticate challenge (client_secret_basic).
    const challenged = error instanceof oauth.WWWAuthenticateChallengeError && (error.status === 401 || error.cause.some((c) => c.parameters.error === "invalid_client"));
    if (challenged || (error instanceof oauth.ResponseBodyError && error.error === "invalid_client")) {
      return failed("Client rejected: the identity provider did not accept the client ID and secret (invalid_client). Check the client secret.");
    }
    if (error instanceof oauth.ResponseBodyError) return failed(`The identity provider refused the code exchange: ${error.error}${error.error_description ? ` (${error.error_description})` : ""}.`);
    return failed(`The ID token was refused: ${reasonOf(error)}.`);
  }
  const email = typeof claims?.email === "string" ? claims.email.toLowerCase() : null;
  if (!email || claims?.email_verified === false) return failed("The identity provider did not share a verified email address (ask for the email scope).");
  const domain = email.split("@")[1] ?? "";
  if (!row.emailDomains.includes(domain)) return failed(`Email domain not allowed: ${email} signed in, but ${domain} is not one of this connection's email domains (${row.emailDomains.join(", ")}).`);
  return { outcome: "passed", message: `Signed in as ${email}. The connection works.` };
}
