import sharp from "sharp";
import { refuse } from "@/lib/actions/refusal";

export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;
export const AVATAR_SIZE = 256;
const ACCEPTED = new Set(["png", "jpeg", "webp"]);

/**
 * P5: an uploaded photo, checked by its content (not its name or declared type),
 * re-encoded to a square WebP. Anything else is a clear refusal.
 */
export async function toAvatar(file: File): Promise<Buffer> {
  if (file.size === 0) refuse("Choose a photo to upload.");
  if (file.size > MAX_AVATAR_BYTES) refuse("Photos are at most 2 MB.");
  const input = Buffer.from(await file.arrayBuffer());
  let format: string | undefined;
  try {
    // Decompression bombs: refuse images larger than 40 megapixels before decoding them.
    format = (await sharp(input, { limitInputPixels: 40_000_000 }).metadata()).format;
  } catch {
    refuse("That file is not an image we can read. Upload a PNG, JPEG or WebP photo.");
  }
  if (!format || !ACCEPTED.has(format)) refuse("Upload a PNG, JPEG or WebP photo.");
  try {
    return await sharp(input, { limitInputPixels: 40_000_000 })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "attention" })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    refuse("That image is damaged. Upload another photo.");
  }
}
