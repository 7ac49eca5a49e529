/**
 * `npm run product-update -- --subject "What's new in June" --text-file notes.txt [--account Acme]`
 *
 * Queues a product-update email to every active member of every account (or of one
 * account) who has not turned product updates off on Personal Account (P5). The running
 * console's delivery worker sends them. With the embedded database, stop the console
 * first, run this, then start it again.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { getDatabase } from "@/db/client";
import { announceProductUpdate } from "@/lib/email/product-updates";

async function main() {
  const { values } = parseArgs({
    options: { subject: { type: "string" }, "text-file": { type: "string" }, text: { type: "string" }, account: { type: "string" } },
  });
  const text = values["text-file"] ? readFileSync(values["text-file"], "utf8") : (values.text ?? "");
  const { db, close } = await getDatabase();
  try {
    const results = await announceProductUpdate(db, { subject: values.subject ?? "", text }, values.account);
    for (const { account, queued } of results) console.log(`${account}: ${queued} queued`);
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
