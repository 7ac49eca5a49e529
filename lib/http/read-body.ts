/**
 * A request's body as text, read no further than `maxBytes` (a Content-Length can lie or
 * be missing): null when it is longer, having stopped reading. /api/v1 and /scim/v2 each
 * answer that in their own error shape.
 */
export async function readBodyText(req: Request, maxBytes: number): Promise<string | null> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
