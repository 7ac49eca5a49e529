/**
 * A real OpenID Provider for the SSO tests: oidc-provider (a certified implementation),
 * with its development login screen — any login is accepted and becomes the subject and
 * email of the signed-in person.
 *   tsx e2e/mock-servers/oidc.ts <port> <redirect_uri>[,<redirect_uri>…]
 */
import Provider from "oidc-provider";

export const OIDC_CLIENT = { id: "roster-e2e", secret: "roster-e2e-client-secret" };

/**
 * A client ID the provider treats as an alias of OIDC_CLIENT: a relying party that uses it
 * is sent ID tokens issued (and signed) for OIDC_CLIENT — tokens with another audience, as
 * in a token-substitution attack. A correct relying party must refuse them.
 */
export const WRONG_AUDIENCE_CLIENT_ID = "roster-e2e-wrong-audience";

export function startOidcProvider(port: number, redirectUris: string[]) {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: redirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // The login typed on the IdP's screen is the subject and the email.
    findAccount: async (_ctx, id) => {
      const name = id.split("@")[0].replace(/[._\d]+/g, " ").trim().replace(/\b\w/g, (c) => c.toUpperCase());
      return { accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true, name }) };
    },
    // Skip the consent screen: the tests are about the relying party, not about consent.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    // Put the scope's claims (email, name) in the ID token, as Google and Entra do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => false },
  });
  provider.proxy = false;
  provider.use(async (ctx, next) => {
    if (ctx.query.client_id === WRONG_AUDIENCE_CLIENT_ID) ctx.query = { ...ctx.query, client_id: OIDC_CLIENT.id };
    const basic = ctx.get("authorization").match(/^Basic (.+)$/)?.[1];
    const [id, secret] = basic ? Buffer.from(basic, "base64").toString().split(":") : [];
    if (decodeURIComponent(id ?? "") === WRONG_AUDIENCE_CLIENT_ID) {
      ctx.req.headers.authorization = `Basic ${Buffer.from(`${OIDC_CLIENT.id}:${secret}`).toString("base64")}`;
    }
    await next();
  });
  const server = provider.listen(port);
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

if (process.argv[1]?.endsWith("oidc.ts")) {
  const port = Number(process.argv[2] ?? 4020);
  const redirects = (process.argv[3] ?? "").split(",").filter(Boolean);
  const { issuer } = startOidcProvider(port, redirects);
  console.log(`OpenID Provider listening on ${issuer}`);
}
