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

// The most common passwords that satisfy the character rules anyway; compared after
// lower-casing and stripping digits and symbols, so "Password1!" and "P@ssword2024#"
// both hit "password".
const COMMON_STEMS = new Set([
  "password", "passw", "pass", "welcome", "qwerty", "qwertyuiop", "letmein", "admin", "administrator", "iloveyou",
  "monkey", "dragon", "football", "baseball", "sunshine", "princess", "master", "shadow", "superman", "trustno",
  "abc", "abcd", "abcdef", "changeme", "secret", "login", "test", "summer", "winter", "spring", "autumn", "hello",
  "starwars", "freedom", "whatever", "michael", "charlie", "jordan", "hunter", "ranger", "pssword", "pssw", "roster",
]);

function stem(password: string) {
  return password
    .toLowerCase()
    .replace(/@/g, "a")
    .replace(/\$/g, "s")
    .replace(/0/g, "o")
    .replace(/[^a-z]/g, "");
}

/** Every rule the password breaks, or an empty list. */
export function passwordProblems(password: string): string[] {
  if (password.length > MAX_PASSWORD_LENGTH) return [`At most ${MAX_PASSWORD_LENGTH} characters`];
  const problems: string[] = PASSWORD_RULES.filter((rule) => !rule.test(password)).map((rule) => rule.label);
  if (problems.length === 0 && COMMON_STEMS.has(stem(password))) problems.push("Not a common password");
  return problems;
}
