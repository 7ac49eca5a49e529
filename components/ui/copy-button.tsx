"use client";

import { useState } from "react";
import { Button } from "./button";

/**
 * Copies `text` to the clipboard. Says "Copied" only when the clipboard took it; when the
 * browser refuses (no permission, a plain-http address), says how to copy by hand.
 */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <Button
        variant="secondary"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setState("copied");
          } catch {
            setState("failed");
          }
        }}
      >
        {state === "copied" ? "Copied" : label}
      </Button>
      {state === "failed" ? (
        <span role="alert" className="self-center text-sm text-red-700">
          The browser blocked copying: select the text and press Ctrl+C (⌘C on a Mac).
        </span>
      ) : null}
    </>
  );
}
