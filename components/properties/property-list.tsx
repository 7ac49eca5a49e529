"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createProperty, editProperty, removeProperty } from "@/app/(console)/properties/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SimpleTable } from "@/components/ui/simple-table";

export type PropertyItem = { id: string; key: string; label: string; type: "text" | "choice" | "date" | "unit"; choices: string[]; rules: number };

const TYPE_LABEL = { text: "Text", choice: "Choice", date: "Date", unit: "Unit" } as const;

/** A7: the account's properties — defined here, renamed (and a choice's choices changed), deleted when no rule uses them. */
export function PropertyList({ properties }: { properties: PropertyItem[] }) {
  const router = useRouter();
  const [form, setForm] = useState({ key: "", label: "", type: "text" as PropertyItem["type"], choices: "" });
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const [editing, setEditing] = useState<{ property: PropertyItem; label: string; choices: string } | null>(null);

  const add = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy("add");
    setMessage(null);
    const result = await createProperty({ ...form, choices: form.choices.split("\n") });
    setBusy(null);
    if (result.ok) {
      setMessage({ text: `${form.label} was added.`, tone: "ok" });
      setForm({ key: "", label: "", type: "text", choices: "" });
      router.refresh();
    } else setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
  };

  const remove = async (property: PropertyItem) => {
    setBusy(property.id);
    setMessage(null);
    const result = await removeProperty({ propertyId: property.id });
    setBusy(null);
    setMessage(result.ok ? { text: `${property.label} was deleted.`, tone: "ok" } : { text: result.error ?? "Something went wrong.", tone: "error" });
    if (result.ok) router.refresh();
  };

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    setBusy("edit");
    setMessage(null);
    const result = await editProperty({ propertyId: editing.property.id, label: editing.label, choices: editing.choices.split("\n") });
    setBusy(null);
    if (result.ok) {
      setMessage({ text: `${result.data.label} was saved.`, tone: "ok" });
      setEditing(null);
      router.refresh();
    } else setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
  };

  return (
    <div className="space-y-4">
      <SimpleTable caption="Properties" headers={["Label", "Key", "Type", ""]} isEmpty={properties.length === 0} empty="No properties yet.">
        {properties.map((property) => (
          <tr key={property.id}>
            <td className="px-4 py-2 font-medium">{property.label}</td>
            <td className="px-4 py-2 font-mono text-xs">{property.key}</td>
            <td className="px-4 py-2">{property.type === "choice" ? `Choice: ${property.choices.join(", ")}` : TYPE_LABEL[property.type]}</td>
            <td className="space-x-2 px-4 py-2 text-right">
              <Button variant="secondary" aria-label={`Edit ${property.label}`} onClick={() => (setEditing({ property, label: property.label, choices: property.choices.join("\n") }), setMessage(null))}>
                Edit
              </Button>
              <Button variant="secondary" busy={busy === property.id} aria-label={`Delete ${property.label}`} onClick={() => remove(property)}>
                Delete
              </Button>
            </td>
          </tr>
        ))}
      </SimpleTable>
      {editing ? (
        <form onSubmit={save} aria-label={`Edit ${editing.property.label}`} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2">
          <Field id="edit-property-label" label="Label" value={editing.label} maxLength={60} onChange={(e) => setEditing({ ...editing, label: e.target.value })} />
          <p className="self-end text-sm text-slate-600">
            Key <span className="font-mono">{editing.property.key}</span> (kept: CSV files and links use it)
          </p>
          {editing.property.type === "choice" ? (
            <div className="space-y-1 text-sm sm:col-span-2">
              <label htmlFor="edit-property-choices" className="block font-medium text-slate-700">
                Choices, one a line
              </label>
              <textarea id="edit-property-choices" className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2" rows={4} value={editing.choices} onChange={(e) => setEditing({ ...editing, choices: e.target.value })} />
            </div>
          ) : null}
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" busy={busy === "edit"}>
              Save property
            </Button>
            <Button type="button" variant="secondary" onClick={() => setEditing(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      <form onSubmit={add} aria-label="New property" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2">
        <Field id="property-label" label="Label" value={form.label} maxLength={60} onChange={(e) => setForm({ ...form, label: e.target.value })} />
        <Field id="property-key" label="Key" hint="Used in CSV headers and links: lower-case letters, digits, _." value={form.key} maxLength={40} onChange={(e) => setForm({ ...form, key: e.target.value })} />
        <label className="space-y-1 text-sm">
          <span className="block font-medium text-slate-700">Type</span>
          <select className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value as PropertyItem["type"] })}>
            {Object.entries(TYPE_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {value === "unit" ? "Organisation unit" : label}
              </option>
            ))}
          </select>
        </label>
        {form.type === "choice" ? (
          <label className="space-y-1 text-sm">
            <span className="block font-medium text-slate-700">Choices, one a line</span>
            <textarea className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2" rows={3} value={form.choices} onChange={(e) => setForm({ ...form, choices: e.target.value })} />
          </label>
        ) : null}
        <div className="sm:col-span-2">
          <Button type="submit" busy={busy === "add"}>
            Add property
          </Button>
        </div>
      </form>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
