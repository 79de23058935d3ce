import { sql } from 'drizzle-orm';
import { queryRows, type Conn } from '../../db/client.ts';

/**
 * Per-company ticket numbers from a PostgreSQL sequence per company. nextval() never waits for other
 * transactions (a counter row would serialize every new ticket of a company behind the slowest
 * open transaction); the price is a gap when a creating transaction rolls back, as in most help desks.
 */
export const ticketSequence = (tenantId: string) => `ticket_no_${tenantId.replaceAll('-', '')}`;

export async function ensureTicketSequence(conn: Conn, tenantId: string): Promise<void> {
  const name = ticketSequence(tenantId);
  await conn.execute(sql`create sequence if not exists ${sql.identifier(name)}`);
  // A company that already has tickets continues after its highest number.
  await conn.execute(sql`select setval(${name}, greatest((select coalesce(max(number), 0) from tickets where tenant_id = ${tenantId}), 1),
    (select count(*) > 0 from tickets where tenant_id = ${tenantId}))`);
}

/** Sequences seen to exist (created with the company, never dropped): checked once per process. */
const known = new Set<string>();

export async function nextTicketNumber(conn: Conn, tenantId: string): Promise<number> {
  const name = ticketSequence(tenantId);
  if (!known.has(name)) {
    const [{ exists }] = await queryRows<{ exists: boolean }>(conn, sql`select to_regclass(${name}) is not null as exists`);
    if (!exists) await ensureTicketSequence(conn, tenantId);
    else known.add(name);
  }
  const [{ n }] = await queryRows<{ n: string | number }>(conn, sql`select nextval(${name}) as n`);
  return Number(n);
}
