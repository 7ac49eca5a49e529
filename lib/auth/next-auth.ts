import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { config } from "@/lib/config";
import { contextFromHeaders } from "@/lib/request";
import { signInWithPassword } from "./credentials";

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
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const { authSecret, sessionMaxAgeSeconds } = config();
  return {
    secret: authSecret,
    trustHost: true,
    // Credentials forces JWT sessions: the JWT only carries the session ID, and every
    // request checks it against the sessions table (lib/auth/session.ts).
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds },
    pages: { signIn: "/sign-in" },
    logger: {
      // Failed sign-ins are expected; do not log them as errors (they carry no secrets,
      // but they are noise). Everything else is logged.
      error(error) {
        if (error instanceof CredentialsSignin) return;
        console.error("[auth]", error);
      },
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(credentials, request) {
          const email = typeof credentials.email === "string" ? credentials.email : "";
          const password = typeof credentials.password === "string" ? credentials.password : "";
          const result = await signInWithPassword(
            await getDb(),
            { email, password },
            contextFromHeaders(request.headers),
            sessionMaxAgeSeconds,
          );
          if (!result.ok) throw new SignInRefused(result.error);
          return { id: result.userId, sid: result.sessionId };
        },
      }),
    ],
    callbacks: {
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
