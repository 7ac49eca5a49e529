import type { Metadata } from "next";
import "./globals.css";

// APP_NAME and every page depend on run-time configuration: nothing is prerendered at build.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { config } = await import("@/lib/config");
  return { title: { default: config().appName, template: `%s · ${config().appName}` } };
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
