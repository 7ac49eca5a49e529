/**
 * O2: what a sign-in attempt can come to, and how it was made, with the words people read.
 * Pure data: the filters, the tables and the export share it.
 */
export const SIGN_IN_RESULTS = {
  success: "Signed in",
  wrong_password: "Wrong password",
  unknown_user: "Unknown address",
  throttled: "Too many attempts (locked)",
  two_factor_failed: "Wrong two-factor code or passkey",
  disabled: "Member disabled",
  invited: "Invitation not yet accepted",
  expired: "Access expired",
  sso_only: "Must use single sign-on",
  sso_refused: "Refused by single sign-on",
  reset_required: "Password reset required",
  passkey_refused: "Passkey not accepted",
  timed_out: "Sign-in timed out",
  key_revoked: "Revoked API key",
  key_expired: "Expired API key",
} as const;

export const SIGN_IN_METHODS = {
  password: "Password",
  sso: "Single sign-on",
  passkey: "Passkey",
  api_key: "API key",
} as const;

export type SignInResult = keyof typeof SIGN_IN_RESULTS;
export type SignInMethod = keyof typeof SIGN_IN_METHODS;

export const isSignInResult = (value: string): value is SignInResult => Object.hasOwn(SIGN_IN_RESULTS, value);
export const isSignInMethod = (value: string): value is SignInMethod => Object.hasOwn(SIGN_IN_METHODS, value);
export const resultLabel = (result: string) => (isSignInResult(result) ? SIGN_IN_RESULTS[result] : result);
export const methodLabel = (method: string) => (isSignInMethod(method) ? SIGN_IN_METHODS[method] : method);
