"use client";

import { removeAvatar, updateDetails, uploadAvatar } from "@/app/(console)/account/actions";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage, useActionForm } from "./use-action-form";

type Props = { userId: string; name: string; email: string; phone: string | null; avatarVersion: number | null; ssoManaged: boolean };

/** P5: name, contact and photo. */
export function DetailsForm({ userId, name, email, phone, avatarVersion, ssoManaged }: Props) {
  const details = useActionForm(updateDetails, "Your details were saved.");
  const photo = useActionForm(uploadAvatar, "Your photo was updated.");
  const removal = useActionForm(removeAvatar, "Your photo was removed.");
  return (
    <div className="space-y-6">
      <form
        className="max-w-md space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          void details.submit({ name: String(form.get("name") ?? ""), phone: String(form.get("phone") ?? "") });
        }}
      >
        {ssoManaged ? (
          <p id="sso-managed-note" className="rounded-md bg-blue-50 p-3 text-sm text-blue-900">
            Your name and email come from your organisation&apos;s identity provider (single sign-on). Change them there.
          </p>
        ) : null}
        {ssoManaged ? <input type="hidden" name="name" value={name} /> : null}
        <Field
          id="details-name"
          name={ssoManaged ? undefined : "name"}
          label="Name"
          defaultValue={name}
          autoComplete="name"
          maxLength={100}
          error={details.fieldErrors.name}
          disabled={ssoManaged}
          aria-describedby={ssoManaged ? "sso-managed-note" : undefined}
          required
        />
        <Field
          id="details-email"
          label="Email"
          value={email}
          readOnly
          disabled
          hint={ssoManaged ? undefined : "Your email address is your sign-in. An administrator of your account can help you change it."}
          describedBy={ssoManaged ? "sso-managed-note" : undefined}
        />
        <Field id="details-phone" name="phone" type="tel" label="Phone" defaultValue={phone ?? ""} autoComplete="tel" maxLength={30} error={details.fieldErrors.phone} />
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={details.busy}>
            Save details
          </Button>
          <FormMessage message={details.message} />
        </div>
      </form>
      <form
        className="flex flex-wrap items-end gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          void photo.submit(new FormData(e.currentTarget));
        }}
      >
        <Avatar userId={userId} name={name || email} version={avatarVersion} size={64} />
        <div className="space-y-1">
          <label htmlFor="details-photo" className="block text-sm font-medium text-slate-700">
            Photo (PNG, JPEG or WebP, up to 2 MB)
          </label>
          <input id="details-photo" name="photo" type="file" accept="image/png,image/jpeg,image/webp" className="text-sm" />
        </div>
        <Button type="submit" variant="secondary" disabled={photo.busy}>
          Upload photo
        </Button>
        {avatarVersion ? (
          <Button type="button" variant="secondary" disabled={removal.busy} onClick={() => void removal.submit({})}>
            Remove photo
          </Button>
        ) : null}
        <div className="w-full">
          <FormMessage message={photo.message ?? removal.message} />
        </div>
      </form>
    </div>
  );
}
