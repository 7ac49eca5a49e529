"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { failureText, useStepUp, type SensitiveAction } from "./step-up-provider";

export type SaveMessage = { text: string; tone: "ok" | "error" };

/**
 * A settings card's Save: runs its sensitive action ("Verify it's you" when the server asks),
 * then says what is now so (`done`) and refreshes the page — or that nothing changed
 * (cancelled) or why not (refused). The cards keep their fields; this keeps the rest.
 */
export function useSensitiveSave<I, T>(action: SensitiveAction<I, T>, done: (data: T) => string) {
  const runSensitive = useStepUp();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<SaveMessage | null>(null);

  const save = async (input: I) => {
    setBusy(true);
    setMessage(null);
    const result = await runSensitive(action, input);
    setBusy(false);
    if (result.ok) {
      setMessage({ text: done(result.data), tone: "ok" });
      router.refresh();
    } else {
      setMessage({ text: failureText(result), tone: "cancelled" in result ? "ok" : "error" });
    }
  };
  return { save, busy, message };
}
