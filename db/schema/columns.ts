import { customType } from "drizzle-orm/pg-core";

/** Binary data: PGlite hands back a Uint8Array, postgres.js a Buffer; both read as a Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});
