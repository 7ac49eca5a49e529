"use client";

import { CopyButton } from "@/components/ui/copy-button";

/** P3: backup codes, shown once: the list, Copy and Download, and whatever comes next (`children`: Done). */
export function BackupCodesList({ codes, appName, children }: { codes: string[]; appName: string; children?: React.ReactNode }) {
  const text = codes.join("\n");
  return (
    <>
      <p className="text-sm text-slate-700">
        Save these backup codes somewhere safe. Each works once if you lose your phone. <strong>They are shown only now.</strong>
      </p>
      <ul aria-label="Backup codes" className="grid grid-cols-2 gap-2 rounded-md border border-slate-200 bg-slate-50 p-4 font-mono text-sm">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <CopyButton text={text} label="Copy codes" />
        <a
          className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(`${appName} backup codes\n\n${text}\n`)}`}
          download={`${appName.toLowerCase()}-backup-codes.txt`}
        >
          Download codes
        </a>
        {children}
      </div>
    </>
  );
}
