import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { queryRows, type Conn } from '../../db/client.ts';
import { chatConversations, type ChatConversation } from './webchat.schema.ts';

/**
 * The light path of a chat line: one SQL statement (one round trip, its own transaction) numbers the
 * line in its conversation and stores it as a message of the chat's ticket, when the line changes
 * nothing else about the ticket. That is the common case: the visitor writes again while already
 * waiting for an answer (or before the first one), the agent writes again after their own line.
 * Then the ticket's status stays, no SLA clock moves (next response is timed from the customer's first
 * unanswered line), and no domain event is needed: the line is pushed to the chat in-process after the
 * statement returns. Everything else (a new conversation, a turn that starts or ends an SLA clock, a
 * status change, a closed or merged ticket, a resend) returns null and takes the full path through
 * tickets.ingest / tickets.reply with its events. The ticket's updated_at is refreshed at most every
 * 30 seconds while a turn goes on, so a long chat still surfaces in the queues without a write per line.
 *
 * A resend racing its first send passes the duplicate check in both statements; the second fails on
 * the unique message key, which rolls back its seq, and the full path then answers it as a duplicate.
 */

/** A stored line: its message and seq, and the conversation after numbering. */
export interface StoredLine { messageId: string; seq: number; createdAt: Date; conversation: ChatConversation }

const TOUCH_EVERY = sql`interval '30 seconds'`;

/** The conversation row as drizzle maps it, from a raw `returning c.*`. */
function fromRow<T>(table: PgTable, row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    const v = row[col.name];
    out[key] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  }
  return out as T;
}

/** A resend that raced its first send lost on the unique message key: nothing was stored, the full path answers it. */
const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } };
  return (e?.cause?.code ?? e?.code) === '23505';
};

async function run(db: Conn, statement: SQL): Promise<StoredLine | null> {
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await queryRows<Record<string, unknown>>(db, statement);
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
  const [row] = rows;
  if (!row) return null;
  const at = row.lp_created_at;
  return {
    messageId: row.lp_message_id as string, seq: Number(row.last_seq),
    createdAt: at instanceof Date ? at : new Date(String(at)), conversation: fromRow<ChatConversation>(chatConversations, row),
  };
}

/** A visitor's line in their open conversation while they already wait for an answer (or the first one). */
export function storeVisitorLine(db: Conn, tenantId: string, visitorId: string, conversationId: string, externalId: string, body: string): Promise<StoredLine | null> {
  return run(db, sql`
    with c as (
      update chat_conversations c set last_seq = c.last_seq + 1
      from tickets t, chat_visitors v
      where c.id = ${conversationId} and c.tenant_id = ${tenantId} and c.visitor_id = ${visitorId} and c.status <> 'ended'
        and v.id = c.visitor_id and t.id = c.ticket_id and t.customer_id = v.customer_id
        and t.status in ('new', 'open') and t.merged_into_id is null
        and (t.first_response_at is null or (t.last_customer_at is not null and (t.last_agent_at is null or t.last_customer_at > t.last_agent_at)))
        and not exists (select 1 from messages m where m.tenant_id = ${tenantId} and m.channel = 'webchat' and m.external_id = ${externalId})
      returning c.*, t.customer_id as lp_customer_id
    ), m as (
      insert into messages (tenant_id, ticket_id, channel, direction, author_type, author_id, visibility, body, external_id)
      select ${tenantId}, c.ticket_id, 'webchat', 'in', 'customer', c.lp_customer_id, 'public', ${body}, ${externalId} from c
      returning id, created_at
    ), s as (
      insert into chat_message_seqs (tenant_id, conversation_id, seq, message_id) select ${tenantId}, c.id, c.last_seq, m.id from c, m
    ), t as (
      update tickets set updated_at = now() from c where tickets.id = c.ticket_id and tickets.updated_at < now() - ${TOUCH_EVERY}
    )
    select c.*, m.id as lp_message_id, m.created_at as lp_created_at from c, m`);
}

/** An agent's line after their own public line, the customer not waiting: status pending and first response recorded. */
export function storeAgentLine(db: Conn, tenantId: string, authorId: string, conversationId: string, externalId: string, body: string): Promise<StoredLine | null> {
  return run(db, sql`
    with c as (
      update chat_conversations c set last_seq = c.last_seq + 1
      from tickets t
      where c.id = ${conversationId} and c.tenant_id = ${tenantId} and c.status <> 'ended'
        and t.id = c.ticket_id and t.status = 'pending' and t.merged_into_id is null
        and t.first_response_at is not null and t.last_agent_at is not null and (t.last_customer_at is null or t.last_customer_at <= t.last_agent_at)
        and not exists (select 1 from messages m where m.tenant_id = ${tenantId} and m.channel = 'webchat' and m.external_id = ${externalId})
      returning c.*
    ), m as (
      insert into messages (tenant_id, ticket_id, channel, direction, author_type, author_id, visibility, body, external_id)
      select ${tenantId}, c.ticket_id, 'webchat', 'out', 'agent', ${authorId}, 'public', ${body}, ${externalId} from c
      returning id, created_at
    ), s as (
      insert into chat_message_seqs (tenant_id, conversation_id, seq, message_id) select ${tenantId}, c.id, c.last_seq, m.id from c, m
    ), t as (
      update tickets set updated_at = now() from c where tickets.id = c.ticket_id and tickets.updated_at < now() - ${TOUCH_EVERY}
    )
    select c.*, m.id as lp_message_id, m.created_at as lp_created_at from c, m`);
}
