import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { config } from "@/lib/config";
import { contextFromHeaders } from "@/lib/request";
import { kickEmailDelivery } from "@/lib/email";
import { openSessionWithGrant } from "@/lib/sessions/open-session";
import { recordSsoFailure, ssoAttempt } from "@/lib/sso/failures";
import { signInWithSso } from "@/lib/sso/sign-in";
import { loadIdentityProviders, SSO_PROVIDER_PREFIX, toNextAuthProvider } from "@/lib/sso/providers";

/** Carries our own message (already generic) through next-auth to the sign-in action. */
export class SignInRefused extends CredentialsSignin {
  constructor(message: string) {
    super(message);
    this.code = message;
  }
}

declare module "next-auth" {
  interface User {
    sid?: string;
  }
  interface Session {
    sid?: string;
  }
}

// The config is built per request so secrets are read at run time, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(async (request) => {
  const { authSecret, sessionMaxAgeSeconds } = config();
  const db = await getDb();
  // P1: each account's OpenID Connect IdP is a provider "sso-<slug>"; an SSO callback
  // always reads the list fresh.
  const idps = await loadIdentityProviders(db, { fresh: request?.nextUrl.pathname.includes(`/${SSO_PROVIDER_PREFIX}`) });
  return {
    secret: authSecret,
    trustHost: true,
    // Credentials forces JWT sessions: the JWT only carries the session ID, and every
    // request checks it against the sessions table (lib/auth/session.ts).
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      // Failed sign-ins are expected; do not log them as errors (they carry no secrets,
      // but they are noise). Everything else is logged.
      error(error) {
        if (error instanceof CredentialsSignin || error.name === "AccessDenied") return;
        console.error("[auth]", error);
        // A refused sign-in through an account's IdP (wrong issuer or audience, bad signature…)
        // goes in that account's audit trail: from a callback, or from "Continue with SSO".
        const cause = (error as { cause?: { err?: unknown; provider?: unknown } }).cause;
        const fromCallback = idps.find((p) => `${SSO_PROVIDER_PREFIX}${p.slug}` === cause?.provider);
        const starting = ssoAttempt.getStore();
        const failed = fromCallback
          ? { idp: fromCallback, reason: cause?.err ?? error, context: request ? contextFromHeaders(request.headers) : { ip: null, userAgent: null } }
          : starting && { idp: starting.idp, reason: error, context: starting.context };
        if (starting) starting.recorded = true;
        if (failed) {
          recordSsoFailure(db, failed.idp, failed.reason, failed.context).catch((failure) => console.error("[auth] could not record an SSO failure", failure));
        }
      },
    },
    providers: [
      ...idps.map(toNextAuthProvider),
      // Our sign-in pages check the password (and the second factor) themselves and hand
      // over a one-time grant; this only turns a grant into a database session.
      Credentials({
        credentials: { grant: {} },
        async authorize(credentials, request) {
          const db = await getDb();
          const context = contextFromHeaders(request.headers);
          const opened = await openSessionWithGrant(db, credentials.grant, context);
          if (!opened) throw new SignInRefused("Your sign-in has expired. Start again.");
          kickEmailDelivery();
          return opened;
        },
      }),
    ],
    callbacks: {
      /** T7: an SSO sign-in becomes one of our members and a database session — or nothing. */
      async signIn({ user, account, profile }) {
        if (!account?.provider.startsWith(SSO_PROVIDER_PREFIX)) return true;
        const idp = idps.find((p) => `${SSO_PROVIDER_PREFIX}${p.slug}` === account.provider);
        if (!idp || !profile?.sub) return "/sign-in?sso_error=failed";
        const context = request ? contextFromHeaders(request.headers) : { ip: null, userAgent: null };
        const outcome = await signInWithSso(
          db,
          idp,
          { sub: profile.sub, email: profile.email, emailVerified: profile.email_verified as boolean | null | undefined, name: profile.name },
          context,
        );
        if (!outcome.ok) return `/sign-in?sso_error=${outcome.code}`;
        kickEmailDelivery();
        user.id = outcome.userId;
        user.sid = outcome.sid;
        return true;
      },
      jwt({ token, user }) {
        if (user?.sid) token.sid = user.sid;
        return token;
      },
      session({ session, token }) {
        if (typeof token.sid === "string") session.sid = token.sid;
        return session;
      },
    },
  };
});
