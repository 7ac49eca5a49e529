import { z } from "zod";
import { getDb } from "@/db/client";
import { getAvatar } from "@/db/queries/profile";
import { findMember } from "@/db/queries/users";
import { getCurrentUser } from "@/lib/auth/session";

/** GET /api/avatars/{userId}?v={version} — members of the same account only (A1). */
export async function GET(req: Request, { params }: { params: Promise<{ userId: string }> }) {
  const viewer = await getCurrentUser();
  if (!viewer) return new Response(null, { status: 401 });
  // P4: someone whom enforcement holds at Setup 2FA Required reaches nothing else.
  if (viewer.twoFactorGate.state === "required") return new Response(null, { status: 403 });
  const id = z.uuid().safeParse((await params).userId);
  if (!id.success) return new Response(null, { status: 404 });
  const db = await getDb();
  if (!(await findMember(db, viewer.accountId, id.data))) return new Response(null, { status: 404 });
  const avatar = await getAvatar(db, id.data);
  if (!avatar) return new Response(null, { status: 404 });
  const etag = `"${avatar.updatedAt.getTime()}"`;
  const headers = {
    "Content-Type": "image/webp",
    ETag: etag,
    // The URL names the version, so a changed photo is a new URL; private: it is personal data.
    "Cache-Control": "private, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
  };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(avatar.image), { headers });
}
