/** B5: what the identity provider presets fill in (client components import this). Microsoft's issuer carries the directory (tenant) ID. */
export const IDP_PRESETS = {
  google: { label: "Google Workspace", issuer: "https://accounts.google.com" },
  microsoft: { label: "Microsoft Entra ID", issuer: "https://login.microsoftonline.com/{tenant-id}/v2.0" },
} as const;

/** The popup's result page posts this (same origin only) when a test sign-in finished; the opener then reads the result from the server. */
export const TEST_MESSAGE = "roster:idp-test-finished";
