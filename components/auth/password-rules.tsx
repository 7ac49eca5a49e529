"use client";

import { PASSWORD_RULES } from "@/lib/auth/password-policy";

/** The IDs to put in a password field's aria-describedby, so the rules are read with it. */
export function passwordRuleIds(id: string): string {
  return PASSWORD_RULES.map((rule) => `${id}-${rule.id}`).join(" ");
}

/** P2 rules, ticked off as the person types. */
export function PasswordRules({ password, id }: { password: string; id?: string }) {
  return (
    <ul aria-label="Password rules" className="space-y-0.5 text-sm">
      {PASSWORD_RULES.map((rule) => {
        const met = rule.test(password);
        return (
          <li key={rule.id} id={id ? `${id}-${rule.id}` : undefined} className={met ? "text-emerald-700" : "text-slate-500"}>
            <span aria-hidden="true">{met ? "✓" : "○"}</span> {rule.label}
            <span className="sr-only">{met ? " (met)" : " (not met yet)"}</span>
          </li>
        );
      })}
    </ul>
  );
}
