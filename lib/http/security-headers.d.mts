export function createNonce(): string;
export function contentSecurityPolicy(options: { nonce: string; appUrl?: string; development?: boolean }): string;
export const LOCKED_DOWN_POLICY: string;
export function fixedSecurityHeaders(appUrl: string | undefined): Record<string, string>;
