"use client";

import { PASSWORD_RULES } from "@/lib/auth/password-policy";

/** P2 rules, ticked off as the person types. */
export function PasswordRules({ password }: { password: string }) {
  return (
    <ul aria-label="Password rules" className="space-y-0.5 text-sm">
      {PASSWORD_RULES.map((rule) => {
        const met = rule.test(password);
        return (
          <li key={rule.id} className={met ? "text-emerald-700" : "text-slate-500"}>
            <span aria-hidden="true">{met ? "✓" : "○"}</span> {rule.label}
            <span className="sr-only">{met ? " (met)" : " (not met yet)"}</span>
          </li>
        );
      })}
    </ul>
  );
}
