import type { Tx } from "@/db/client";
import { refuse } from "@/lib/actions/refusal";
import type { RequestContext } from "@/lib/request";
import { setNewPassword } from "./password-reset";
import { describePasswordProblems, newPasswordProblems } from "./password-strength";
import type { CurrentUser } from "./session";

/**
 * P5: a new password for oneself, once the current one was confirmed (confirmCurrentPassword):
 * other sessions end, this one stays, a security notice goes out (setNewPassword).
 */
export async function changeOwnPassword(tx: Tx, principal: CurrentUser, input: { password: string; confirm: string }, request: RequestContext) {
  const problems = newPasswordProblems(input.password, [principal.email, principal.name]);
  if (problems.length) refuse(describePasswordProblems(problems));
  if (input.password !== input.confirm) refuse("The new passwords do not match.");
  await setNewPassword(tx, principal, input.password, { keepSessionId: principal.sessionId, context: request, action: "password.changed" });
  return {};
}
