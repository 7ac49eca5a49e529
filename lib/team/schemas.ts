import { z } from "zod";

export const emailField = z
  .string({ error: "Enter an email address." })
  .trim()
  .min(1, "Enter an email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."))
  .transform((email) => email.toLowerCase());

export const nameField = z
  .string()
  .trim()
  .max(100, "Names are at most 100 characters.")
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "Names cannot contain control characters.");

export const memberIdField = z.uuid({ error: "Unknown member." });
