import core from "@zxcvbn-ts/core";
import common from "@zxcvbn-ts/language-common";
import en from "@zxcvbn-ts/language-en";
import { passwordProblems } from "./password-policy";

// Offline: zxcvbn-ts's dictionaries hold the common and breached passwords it knows.
let estimator: InstanceType<typeof core.ZxcvbnFactory> | undefined;
function strength() {
  estimator ??= new core.ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
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
  const result = strength().check(password, personal.filter(Boolean));
  return result.score >= 3 ? [] : ["Not a common or easily guessed password"];
}

export function describePasswordProblems(problems: string[]): string {
  return `The password needs: ${problems.join(", ").toLowerCase()}.`;
}
