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
 * Under load, visitors' lines that arrive together share one statement (VisitorLineBatcher below).
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

/** A returned row as a stored line. */
function storedLine(row: Record<string, unknown>): StoredLine {
  const at = row.lp_created_at;
  return {
    messageId: row.lp_message_id as string, seq: Number(row.last_seq),
    createdAt: at instanceof Date ? at : new Date(String(at)), conversation: fromRow<ChatConversation>(chatConversations, row),
  };
}

async function run(db: Conn, statement: SQL): Promise<StoredLine | null> {
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await queryRows<Record<string, unknown>>(db, statement);
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
  return rows[0] ? storedLine(rows[0]) : null;
}

/** A visitor's line for the light path, as the gateway hands it over. */
export interface VisitorLine { tenantId: string; visitorId: string; conversationId: string; externalId: string; body: string }

/** What became of one line of a statement: stored, left to the full path (null), or refused by the database. */
export type LineResult = { ok: true; stored: StoredLine | null } | { ok: false; error: unknown };

/**
 * Visitors' lines in their open conversations while they already wait for an answer (or the first
 * one): one statement for all of `lines` (json_to_recordset), each line on its own conditions. Lines
 * must be of different conversations (an UPDATE … FROM numbers a row once). Returns a result per line,
 * in order.
 */
export async function storeVisitorLines(db: Conn, lines: readonly VisitorLine[]): Promise<LineResult[]> {
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await queryRows<Record<string, unknown>>(db, visitorLinesStatement(lines));
  } catch (err) {
    // One line can fail the whole statement (a resend racing its first send on the message key, input
    // the database refuses) and nothing was stored: each line alone, so only that one fails.
    if (lines.length > 1) {
      const alone: LineResult[] = [];
      for (const line of lines) alone.push((await storeVisitorLines(db, [line]))[0]);
      return alone;
    }
    return [isUniqueViolation(err) ? { ok: true, stored: null } : { ok: false, error: err }];
  }
  const out: LineResult[] = lines.map(() => ({ ok: true, stored: null }));
  for (const row of rows) out[Number(row.lp_ord)] = { ok: true, stored: storedLine(row) };
  return out;
}

function visitorLinesStatement(lines: readonly VisitorLine[]): SQL {
  const input = JSON.stringify(lines.map((l, ord) => ({ ord, tenant_id: l.tenantId, visitor_id: l.visitorId, conversation_id: l.conversationId, external_id: l.externalId, body: l.body })));
  // The conversations and message keys are also given as arrays of constants: matched against a row set
  // alone, the planner (its statistics behind a fast-growing table) may scan a company's messages for
  // each line instead of looking the key up. One array parameter each, not one parameter per value:
  // building a statement of hundreds of parameters cost more than storing its lines.
  const list = (values: string[], type: 'uuid' | 'text') => sql`any(${arrayLiteral([...new Set(values)])}::${sql.raw(type)}[])`;
  return sql`
      with i as (
        select * from json_to_recordset(${input}::json) as i(ord int, tenant_id uuid, visitor_id uuid, conversation_id uuid, external_id text, body text)
      ), seen as materialized (
        select m.tenant_id, m.external_id from messages m
        where m.tenant_id = ${list(lines.map((l) => l.tenantId), 'uuid')} and m.channel = 'webchat' and m.external_id = ${list(lines.map((l) => l.externalId), 'text')}
      ), c as (
        update chat_conversations c set last_seq = c.last_seq + 1
        from i, tickets t, chat_visitors v
        where c.id = ${list(lines.map((l) => l.conversationId), 'uuid')}
          and c.id = i.conversation_id and c.tenant_id = i.tenant_id and c.visitor_id = i.visitor_id and c.status <> 'ended'
          and v.id = c.visitor_id and t.id = c.ticket_id and t.customer_id = v.customer_id
          and t.status in ('new', 'open') and t.merged_into_id is null
          and (t.first_response_at is null or (t.last_customer_at is not null and (t.last_agent_at is null or t.last_customer_at > t.last_agent_at)))
          and not exists (select 1 from seen where seen.tenant_id = i.tenant_id and seen.external_id = i.external_id)
        returning c.*, t.customer_id as lp_customer_id, i.ord as lp_ord, i.external_id as lp_external_id, i.body as lp_body
      ), m as (
        insert into messages (tenant_id, ticket_id, channel, direction, author_type, author_id, visibility, body, external_id)
        select c.tenant_id, c.ticket_id, 'webchat', 'in', 'customer', c.lp_customer_id, 'public', c.lp_body, c.lp_external_id from c
        returning id, created_at, external_id
      ), s as (
        insert into chat_message_seqs (tenant_id, conversation_id, seq, message_id) select c.tenant_id, c.id, c.last_seq, m.id from c join m on m.external_id = c.lp_external_id
      ), t as (
        update tickets set updated_at = now() from c where tickets.id = c.ticket_id and tickets.updated_at < now() - ${TOUCH_EVERY}
      )
      select c.*, m.id as lp_message_id, m.created_at as lp_created_at from c join m on m.external_id = c.lp_external_id`;
}

/** A PostgreSQL array literal of strings ({"a","b"}), quoted so any text is one element. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/**
 * Statements of visitors' lines out at once per database handle; lines arriving meanwhile wait and go
 * together. bench/chat.ts (1,000 visitors on PostgreSQL, 2 cores): 1 → p99 90 ms at 1,000 lines/s and
 * 1,780 lines/s flat out; 2 → 83–103 ms and 2,494–2,849/s; 4 → 138 ms and 2,038/s.
 */
const LINE_STATEMENTS = 2;
/** Lines in one statement at most. */
const LINES_PER_STATEMENT = 100;

interface Waiting { line: VisitorLine; resolve: (r: StoredLine | null) => void; reject: (err: unknown) => void }

/**
 * Group commit for visitors' lines. While fewer than LINE_STATEMENTS statements are out, a line goes at
 * once (alone when traffic is light, so it waits for nothing); under load, the lines that arrive
 * while all are out share the next statement, so the database does one round trip and one commit for
 * many lines instead of one each. A conversation's lines keep their order: one with a line in a
 * statement (or earlier in the queue) waits for it.
 */
class VisitorLineBatcher {
  /** Lines waiting, per conversation in writing order; conversations in the order their first waiting line came. */
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly busy = new Set<string>();
  private out = 0;
  constructor(private readonly db: Conn) {}

  store(line: VisitorLine): Promise<StoredLine | null> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(line.conversationId);
      if (queue) queue.push({ line, resolve, reject });
      else this.waiting.set(line.conversationId, [{ line, resolve, reject }]);
      this.pump();
    });
  }

  private pump(): void {
    while (this.out < LINE_STATEMENTS && this.waiting.size) {
      // the first waiting line of each conversation that has none in flight, oldest conversations first;
      // what this walks is the batch and the conversations in flight, not every line waiting
      const batch: Waiting[] = [];
      for (const [c, queue] of this.waiting) {
        if (batch.length >= LINES_PER_STATEMENT) break;
        if (this.busy.has(c)) continue;
        batch.push(queue.shift()!);
        if (!queue.length) this.waiting.delete(c);
      }
      if (!batch.length) return; // every waiting line waits for its conversation's line in flight
      const taken = batch.map((w) => w.line.conversationId);
      for (const c of taken) this.busy.add(c);
      this.out++;
      void storeVisitorLines(this.db, batch.map((w) => w.line)).then(
        (results) => batch.forEach((w, i) => { const r = results[i]; if (r.ok) w.resolve(r.stored); else w.reject(r.error); }),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      ).finally(() => {
        this.out--;
        for (const c of taken) this.busy.delete(c);
        this.pump();
      });
    }
  }
}

const batchers = new WeakMap<object, VisitorLineBatcher>();

/** A visitor's line in their open conversation while they already wait for an answer (or the first one). */
export function storeVisitorLine(db: Conn, line: VisitorLine): Promise<StoredLine | null> {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new VisitorLineBatcher(db)));
  return b.store(line);
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
