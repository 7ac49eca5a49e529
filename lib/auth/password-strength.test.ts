import { describe, expect, it } from "vitest";
import { newPasswordProblems } from "./password-strength";

describe("password policy (P2)", () => {
  it("refuses common and breached passwords even when they meet the character rules", () => {
    for (const password of ["Password1!", "Welcome1!", "P@ssw0rd2024#", "Qwerty123!"]) {
      expect(newPasswordProblems(password), password).toEqual(["Not a common or easily guessed password"]);
    }
  });

  it("names each broken character rule", () => {
    expect(newPasswordProblems("short")).toEqual(["At least 8 characters", "An upper-case letter", "A digit", "A special character"]);
  });

  it("counts the person's own name and email as guessable", () => {
    expect(newPasswordProblems("Zorblax2026!")).toEqual([]);
    expect(newPasswordProblems("Zorblax2026!", ["zorblax.quint@acme.test", "Zorblax Quint"])).toEqual(["Not a common or easily guessed password"]);
  });

  it("accepts a strong passphrase", () => {
    expect(newPasswordProblems("Tidal-Orbit-4821")).toEqual([]);
    expect(newPasswordProblems("Correct Horse Battery Staple 9!")).toEqual([]);
  });
});
