"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** P4, B1: "Setup 2FA Required" offers an authenticator app or a passkey, one form at a time. */
export function SetupChoice({ app, passkey }: { app: React.ReactNode; passkey: React.ReactNode }) {
  const [choice, setChoice] = useState<"app" | "passkey">("app");
  return (
    <div className="space-y-4">
      <h2 className="text-base font-medium">{choice === "app" ? "With an authenticator app" : "With a passkey"}</h2>
      {choice === "app" ? app : passkey}
      <div className="border-t border-slate-200 pt-4">
        <Button type="button" variant="secondary" onClick={() => setChoice(choice === "app" ? "passkey" : "app")}>
          {choice === "app" ? "Use a passkey instead" : "Use an authenticator app instead"}
        </Button>
      </div>
    </div>
  );
}
