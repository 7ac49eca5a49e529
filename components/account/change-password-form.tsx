"use client";

import { useState } from "react";
import { changePassword } from "@/app/(console)/account/actions";
import { PasswordRules, passwordRuleIds } from "@/components/auth/password-rules";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage, useActionForm } from "./use-action-form";

export function ChangePasswordForm() {
  const form = useActionForm(changePassword, "Your password was changed. Your other sessions were signed out.");
  const [password, setPassword] = useState("");
  return (
    <form
      className="max-w-md space-y-4"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const element = e.currentTarget;
        const data = new FormData(element);
        const done = await form.submit({ current: String(data.get("current") ?? ""), password, confirm: String(data.get("confirm") ?? "") });
        if (done) {
          element.reset();
          setPassword("");
        }
      }}
    >
      <Field id="current-password" name="current" type="password" label="Current password" autoComplete="current-password" error={form.fieldErrors.current} required />
      <Field id="new-password" name="password" type="password" label="New password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={form.fieldErrors.password} describedBy={passwordRuleIds("new-password-rules")} required />
      <PasswordRules id="new-password-rules" password={password} />
      <Field id="confirm-password" name="confirm" type="password" label="Confirm new password" autoComplete="new-password" error={form.fieldErrors.confirm} required />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.busy}>
          Change password
        </Button>
        <FormMessage message={form.message} />
      </div>
    </form>
  );
}
