import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as commonDictionary } from "@zxcvbn-ts/language-common";
import { dictionary as englishDictionary, translations } from "@zxcvbn-ts/language-en";
import { passwordProblems } from "./password-policy";

// Offline: zxcvbn-ts's dictionaries hold the common and breached passwords it knows.
let estimator: ZxcvbnFactory | undefined;
function strength() {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
  });
  return estimator;
}

/**
 * P2 on the server: the character rules, then "not common or easily guessed" (a zxcvbn
 * score of 3 or more, with the person's own name and email counted as guessable).
 */
export function newPasswordProblems(password: string, personal: string[] = []): string[] {
  const problems = passwordProblems(password);
  if (problems.length > 0) return problems;
  // "avery.admin@acme.test" and "Avery Admin" become the words avery, admin, acme.
  const words = personal.flatMap((value) => value.toLowerCase().split(/[^\p{L}\d]+/u)).filter((word) => word.length >= 3 && word !== "test");
  const result = strength().check(password, words);
  return result.score >= 3 ? [] : ["Not a common or easily guessed password"];
}

export function describePasswordProblems(problems: string[]): string {
  return `The password needs: ${problems.join(", ").toLowerCase()}.`;
}
