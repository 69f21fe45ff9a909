import { sql } from "drizzle-orm";
import { customType } from "drizzle-orm/pg-core";

/** Raw bytes (`bytea`), read as a Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * 32 random bytes made by PostgreSQL itself (two v4 UUIDs from its strong random source: 244
 * random bits), for rows written without a secret of their own: rows that existed before the
 * column, or written by a process that predates it.
 */
export const randomSecret = sql`decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex')`;
