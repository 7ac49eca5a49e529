"use client";

import { OTPInput, REGEXP_ONLY_DIGITS } from "input-otp";
import { documentNonce } from "./document-nonce";

/** A 6-digit one-time code field (input-otp): one real input, so paste and autofill work. */
export function OtpInput({
  value,
  onChange,
  label,
  autoFocus,
  invalid,
  describedBy,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  autoFocus?: boolean;
  invalid?: boolean;
  describedBy?: string;
}) {
  return (
    <OTPInput
      maxLength={6}
      pattern={REGEXP_ONLY_DIGITS}
      value={value}
      onChange={onChange}
      autoFocus={autoFocus}
      aria-label={label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      autoComplete="one-time-code"
      inputMode="numeric"
      containerClassName="flex gap-2 has-[:focus-visible]:[&>div>div]:border-brand-600"
      // input-otp adds a <style> element once mounted: the Content-Security-Policy wants the page's nonce on it.
      nonce={documentNonce()}
      render={({ slots }) => (
        <div className="flex gap-2">
          {slots.map((slot, i) => (
            <div
              key={i}
              className={`flex h-11 w-10 items-center justify-center rounded-md border text-lg font-medium ${slot.isActive ? "border-brand-600 ring-2 ring-brand-600" : "border-slate-500"}`}
            >
              {/* The caret stays in the DOM and is only hidden: removing it while focus moves on
                  makes the dialog's focus trap pull focus back, and Tab could not leave the field. */}
              {slot.char ?? <span aria-hidden className={`h-5 w-px bg-slate-800 ${slot.hasFakeCaret ? "animate-pulse" : "invisible"}`} />}
            </div>
          ))}
        </div>
      )}
    />
  );
}
