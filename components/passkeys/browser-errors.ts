/**
 * What a person reads when the browser's WebAuthn call fails (@simplewebauthn/browser's
 * WebAuthnError codes; a cancelled or timed-out prompt is NotAllowedError).
 */
export function passkeyBrowserError(error: unknown, doing: "create" | "use"): string {
  const code = (error as { code?: string } | null)?.code;
  const name = (error as { name?: string } | null)?.name;
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "This device already holds one of your passkeys.";
  if (code === "ERROR_INVALID_DOMAIN" || code === "ERROR_INVALID_RP_ID") return "Passkeys need the console's own web address (a domain name over https, or localhost).";
  if (name === "NotAllowedError" || code === "ERROR_CEREMONY_ABORTED") {
    return doing === "create" ? "No passkey was created: the prompt was closed or timed out." : "No passkey was used: the prompt was closed or timed out.";
  }
  if (typeof window !== "undefined" && !window.PublicKeyCredential) return "This browser does not support passkeys.";
  return doing === "create" ? "Your browser could not create a passkey." : "Your browser could not use a passkey.";
}
