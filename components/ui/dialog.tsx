"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import type { DialogProps } from "./dialog-radix";

const RadixModal = dynamic(() => import("./dialog-radix").then((m) => m.RadixModal), { ssr: false });

/** Starts loading the modal's code before it is needed (when an action that may open one starts). */
export function preloadDialog() {
  void import("./dialog-radix");
}

/**
 * An accessible modal (components/ui/dialog-radix.tsx). Its code (Radix) is not part of a
 * page's first load: it loads the first time the dialog opens, then stays mounted so
 * closing can hand focus back.
 */
export function Dialog(props: DialogProps) {
  const [used, setUsed] = useState(props.open);
  if (props.open && !used) setUsed(true);
  return used ? <RadixModal {...props} /> : null;
}
