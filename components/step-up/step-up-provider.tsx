"use client";

import { createContext, useCallback, useContext, useState } from "react";
import dynamic from "next/dynamic";
import type { ActionResult, StepUpPrompt } from "@/lib/actions/define-action";
import type { StepUpProof } from "@/lib/auth/step-up";

export type SensitiveAction<I, T> = (input: I, proof?: StepUpProof) => Promise<ActionResult<T>>;
export type SensitiveOutcome<T> = ActionResult<T> | { ok: false; cancelled: true; error?: undefined };

/**
 * For a caller whose own dialog started the action: it hides that dialog when the code is
 * asked for (one dialog on screen at a time) and puts focus back itself afterwards.
 */
/** What a sensitive action that did not go through says: cancelled at "Verify it's you", or its refusal. */
export function failureText(result: { error?: string } & object): string {
  return "cancelled" in result ? "Cancelled: nothing was changed." : (result.error ?? "Something went wrong.");
}

export type StepUpOptions = { onCodeRequested?: () => void };

export type Pending = {
  prompt: StepUpPrompt;
  /** What had focus when the action started (the button pressed): focus goes back there — or `false`, the caller's job. */
  opener: HTMLElement | null | false;
  submit: (proof: StepUpProof) => Promise<ActionResult<unknown>>;
  resolve: (outcome: SensitiveOutcome<unknown>) => void;
};

type RunSensitive = <I, T>(action: SensitiveAction<I, T>, input: I, options?: StepUpOptions) => Promise<SensitiveOutcome<T>>;
const StepUpContext = createContext<RunSensitive | null>(null);

// Loaded when a sensitive action first runs (while its first request is on the way), not
// with the page: the dialog and the code input are not part of the first load.
const loadVerifyDialog = () => import("./verify-dialog");
const VerifyDialog = dynamic(() => loadVerifyDialog().then((m) => m.VerifyDialog), { ssr: false });

/**
 * S1 on the client: runs a sensitive server action; when the server asks for a code,
 * opens "Verify it's you", then re-submits the same action and input with the code.
 */
export function StepUpProvider({ children }: { children: React.ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);

  const run = useCallback(<I, T>(action: SensitiveAction<I, T>, input: I, options: StepUpOptions = {}) => {
    const focused = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    const opener = options.onCodeRequested ? false : focused;
    void loadVerifyDialog();
    return new Promise<SensitiveOutcome<T>>((resolve) => {
      void action(input).then((first) => {
        if (first.ok || !first.stepUp) return resolve(first);
        // In the same render as the code dialog opens, so the two are never on screen together.
        options.onCodeRequested?.();
        setPending({
          prompt: first.stepUp,
          opener,
          submit: (proof) => action(input, proof) as Promise<ActionResult<unknown>>,
          resolve: resolve as (outcome: SensitiveOutcome<unknown>) => void,
        });
      });
    });
  }, []);

  return (
    <StepUpContext.Provider value={run}>
      {children}
      {pending ? <VerifyDialog key={pending.prompt.challengeId} pending={pending} onDone={() => setPending(null)} /> : null}
    </StepUpContext.Provider>
  );
}

export function useStepUp() {
  const run = useContext(StepUpContext);
  if (!run) throw new Error("useStepUp needs a StepUpProvider");
  return run;
}
