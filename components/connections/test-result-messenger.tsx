"use client";

import { useEffect } from "react";
import { TEST_MESSAGE } from "@/lib/connections/presets";

/** Tells the settings page that opened this popup that its test finished (it reads the result itself), then closes. */
export function TestResultMessenger({ testId }: { testId: string }) {
  useEffect(() => {
    if (!window.opener) return;
    (window.opener as Window).postMessage({ type: TEST_MESSAGE, testId }, window.location.origin);
    window.close();
  }, [testId]);
  return <p className="text-sm text-slate-600">You can close this window.</p>;
}
