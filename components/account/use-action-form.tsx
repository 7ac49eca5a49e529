"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/actions/define-action";

type Message = { text: string; tone: "ok" | "error" } | null;

/** Shared state of the small Personal Account forms: busy, field errors, one message. */
export function useActionForm<I, T>(action: (input: I) => Promise<ActionResult<T>>, success: string) {
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<Message>(null);
  const router = useRouter();
  const submit = async (input: I): Promise<boolean> => {
    setBusy(true);
    setMessage(null);
    setFieldErrors({});
    const result = await action(input);
    setBusy(false);
    if (result.ok) {
      setMessage({ text: success, tone: "ok" });
      router.refresh();
      return true;
    }
    if ("fieldErrors" in result && result.fieldErrors) setFieldErrors(result.fieldErrors);
    else setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
    return false;
  };
  return { busy, fieldErrors, message, submit };
}

/** The outcome of a form, announced politely; errors as alerts. */
export function FormMessage({ message }: { message: Message }) {
  if (!message) return <p aria-live="polite" className="min-h-5" />;
  return message.tone === "ok" ? (
    <p role="status" className="text-sm text-emerald-700">
      {message.text}
    </p>
  ) : (
    <p role="alert" className="text-sm text-red-700">
      {message.text}
    </p>
  );
}
