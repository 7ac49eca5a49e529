import type { Tx } from "@/db/client";
import { updateProfile } from "@/db/queries/profile";
import type { Principal } from "@/lib/auth/principal";
import { toAvatar } from "@/lib/avatar";

/** P5: one's own photo, checked and re-encoded by toAvatar. */
export async function saveAvatar(tx: Tx, principal: Principal, photo: File) {
  const avatar = await toAvatar(photo);
  await updateProfile(tx, principal.id, { avatar, avatarUpdatedAt: new Date() });
  return {};
}

export async function deleteAvatar(tx: Tx, principal: Principal) {
  await updateProfile(tx, principal.id, { avatar: null, avatarUpdatedAt: null });
  return {};
}
