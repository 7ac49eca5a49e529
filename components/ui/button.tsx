"use client";

import type { ComponentProps } from "react";

type Variant = "primary" | "secondary" | "danger";

const styles: Record<Variant, string> = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-slate-400",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-slate-400",
};

// ComponentProps, not ButtonHTMLAttributes: it carries `ref` (a plain prop in React 19), which
// a Radix trigger (`asChild`) needs to reach the <button> it positions its menu against.
type Props = ComponentProps<"button"> & {
  variant?: Variant;
  /**
   * Work is under way: clicks do nothing, but unlike `disabled` the button keeps focus,
   * so a keyboard user is not dropped on <body> and a dialog can hand focus back to it.
   */
  busy?: boolean;
};

export function Button({ variant = "primary", className = "", busy, onClick, ...props }: Props) {
  return (
    <button
      {...props}
      aria-disabled={busy || props["aria-disabled"] || undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
      className={`inline-flex items-center justify-center rounded-md px-3 py-2 text-sm font-medium aria-disabled:cursor-wait aria-disabled:opacity-60 ${styles[variant]} ${className}`}
    />
  );
}
