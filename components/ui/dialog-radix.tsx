"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { setNonce } from "get-nonce";
import { useRef } from "react";
import { documentNonce } from "./document-nonce";

// Radix locks page scrolling with a <style> element (react-style-singleton), which the
// Content-Security-Policy admits only with the page's nonce: get-nonce hands it over.
if (typeof document !== "undefined") setNonce(documentNonce() ?? "");

export type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: React.ReactNode;
  /**
   * Where focus goes back on close, when the caller knows better than "what had focus at
   * open"; `false` when the caller moves focus itself (a dialog handing over to another).
   */
  returnFocusTo?: HTMLElement | null | false;
  children: React.ReactNode;
};

/** An accessible modal (Radix): focus trapped inside, Escape closes, labelled by its title. */
export function RadixModal({ open, onOpenChange, title, description, returnFocusTo, children }: DialogProps) {
  // Our dialogs open from code (often after a server round trip), not from a Radix
  // Trigger, so Radix would drop focus on <body> when they close: remember the opener.
  const opener = useRef<HTMLElement | null>(null);
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 bg-slate-900/40" />
        <RadixDialog.Content
          onOpenAutoFocus={() => {
            opener.current = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
          }}
          onCloseAutoFocus={(event) => {
            if (returnFocusTo === false) return event.preventDefault();
            const target = returnFocusTo ?? opener.current;
            if (target?.isConnected) {
              event.preventDefault();
              target.focus();
            }
          }}
          className="fixed left-1/2 top-1/2 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
          <RadixDialog.Title className="text-lg font-semibold">{title}</RadixDialog.Title>
          {description ? (
            <RadixDialog.Description className="mt-1 text-sm text-slate-600">{description}</RadixDialog.Description>
          ) : (
            <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
          )}
          <div className="mt-4">{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
