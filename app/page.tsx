import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";

export default async function Home() {
  // Signed out (or idle past the limit): requireUser sends the person to sign-in, saying why.
  await requireUser();
  redirect("/account");
}
