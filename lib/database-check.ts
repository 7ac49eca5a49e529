import { cache } from "react";
import { getDatabase } from "@/db/client";
import { asUnreachable } from "@/lib/db-errors";

/**
 * For pages that read nothing before the person acts (sign-in, password reset…): the
 * database is asked once per request, so an unreachable one is said on the page
 * (app/error.tsx) rather than after the person has typed their password.
 */
export const requireDatabase = cache(async (): Promise<void> => {
  try {
    await (await getDatabase()).raw("select 1", []);
  } catch (error) {
    throw asUnreachable(error);
  }
});
