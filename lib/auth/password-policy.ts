/** Long inputs are refused before hashing so a 1 MB "password" costs nothing. */
export const MAX_PASSWORD_LENGTH = 256;

/** P2: the rules, shown to people as they type and enforced on the server. */
export const PASSWORD_RULES = [
  { id: "length", label: "At least 8 characters", test: (p: string) => p.length >= 8 },
  { id: "upper", label: "An upper-case letter", test: (p: string) => /\p{Lu}/u.test(p) },
  { id: "lower", label: "A lower-case letter", test: (p: string) => /\p{Ll}/u.test(p) },
  { id: "digit", label: "A digit", test: (p: string) => /\d/.test(p) },
  { id: "special", label: "A special character", test: (p: string) => /[^\p{L}\d]/u.test(p) },
] as const;

/** Every character rule the password breaks, or an empty list (client-safe; the server adds strength). */
export function passwordProblems(password: string): string[] {
  if (password.length > MAX_PASSWORD_LENGTH) return [`At most ${MAX_PASSWORD_LENGTH} characters`];
  return PASSWORD_RULES.filter((rule) => !rule.test(password)).map((rule) => rule.label);
}
