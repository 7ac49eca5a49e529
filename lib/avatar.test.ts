import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ActionRefusal } from "@/lib/actions/refusal";
import { toAvatar } from "./avatar";

const image = (format: "png" | "jpeg" | "gif", width = 400, height = 300) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .toFormat(format)
    .toBuffer();

describe("avatar uploads (P5)", () => {
  it("re-encodes PNG and JPEG to a 256×256 WebP", async () => {
    for (const format of ["png", "jpeg"] as const) {
      const out = await toAvatar(new File([new Uint8Array(await image(format))], `me.${format}`));
      const meta = await sharp(out).metadata();
      expect(meta).toMatchObject({ format: "webp", width: 256, height: 256 });
    }
  });

  it("judges by content, not by name: refuses fake, foreign and oversized files", async () => {
    const cases: [File, RegExp][] = [
      [new File(["hello, I am text"], "photo.png", { type: "image/png" }), /not an image we can read/],
      [new File([new Uint8Array(await image("gif"))], "photo.jpg", { type: "image/jpeg" }), /PNG, JPEG or WebP/],
      [new File([new Uint8Array(3 * 1024 * 1024)], "big.png", { type: "image/png" }), /at most 2 MB/],
      [new File([], "empty.png"), /Choose a photo/],
    ];
    for (const [file, message] of cases) {
      await expect(toAvatar(file)).rejects.toThrow(message);
      await expect(toAvatar(file)).rejects.toBeInstanceOf(ActionRefusal);
    }
  });
});
