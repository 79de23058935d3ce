/**
 * ACD (automatic call distribution) for chats: who takes a new chat now, and, when nobody can, where it
 * waits. Pure: the caller loads agents' presence and load and writes the outcome; several Kefu nodes
 * rebuild the same queue from the database (`ChatQueue.from`) and reach the same decision.
 */
import type { Presence } from '../../contracts/staff.ts';
import { inScope, type RoutingScope } from './region-routing.ts';

export type ChatScope = Pick<RoutingScope, 'source' | 'departmentIds' | 'agentIds'>;

export interface ChatAgent {
  userId: string;
  presence: Presence;
  departmentIds: readonly string[];
  skills: readonly string[];
  /** Chats the agent is serving now. */
  activeChats: number;
  /** Most chats at once (最大接待量). 0 = the ACD gives them none (a transfer can still reach them). */
  capacity: number;
  /** When the agent last received a chat; null = never, which counts as idle longest. */
  lastChatAt: Date | null;
}

export interface ChatNeeds {
  scope: ChatScope;
  /** Skills the agent must all hold (a chosen topic, the visitor's language …). */
  skills: readonly string[];
  /** Agents not to pick: the one transferring it away, or one who declined. */
  exclude?: readonly string[];
}

export type AcdDecision =
  | { kind: 'assign'; userId: string }
  /** Someone who could serve it is online but full: wait in the queue. */
  | { kind: 'wait' }
  /** Nobody who could serve it is online (away counts as not online): offer the offline-message form. */
  | { kind: 'offline'; reason: 'no_agent_online' | 'no_skilled_agent' };

export const hasSkills = (agent: Pick<ChatAgent, 'skills'>, required: readonly string[]) => required.every((s) => agent.skills.includes(s));
const hasRoom = (a: ChatAgent) => a.activeChats < a.capacity;

/**
 * Least busy first: fewest chats now (the visitor waits less for each reply), then the longest idle,
 * then by id so that every node breaks ties the same way.
 */
export function byLeastBusy(a: ChatAgent, b: ChatAgent): number {
  return a.activeChats - b.activeChats
    || (a.lastChatAt?.getTime() ?? -Infinity) - (b.lastChatAt?.getTime() ?? -Infinity)
    || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

export function decideChatAgent(needs: ChatNeeds, agents: readonly ChatAgent[]): AcdDecision {
  const excluded = new Set(needs.exclude ?? []);
  const online = agents.filter((a) => a.presence === 'online' && a.capacity > 0 && !excluded.has(a.userId) && inScope(needs.scope, a.userId, a.departmentIds));
  if (!online.length) return { kind: 'offline', reason: 'no_agent_online' };
  const skilled = online.filter((a) => hasSkills(a, needs.skills));
  if (!skilled.length) return { kind: 'offline', reason: 'no_skilled_agent' };
  const free = skilled.filter(hasRoom);
  if (!free.length) return { kind: 'wait' };
  return { kind: 'assign', userId: [...free].sort(byLeastBusy)[0].userId };
}

// ---------------------------------------------------------------------------------------------- queue

export interface QueuedChat {
  chatId: string;
  scope: ChatScope;
  skills: readonly string[];
  exclude?: readonly string[];
  /** Higher goes first (e.g. 1 for a returning visitor when the widget style says so); 0 normally. */
  priority: number;
  /** Epoch ms: first come, first served within a priority. */
  enqueuedAt: number;
}

export type Admission =
  | { kind: 'assign'; userId: string }
  | { kind: 'queued'; position: number }
  /** The queue for this scope is full (排队上限): offer the offline-message form. */
  | { kind: 'overflow' }
  | { kind: 'offline'; reason: 'no_agent_online' | 'no_skilled_agent' };

interface Slot extends QueuedChat { seq: number }

/** One line per routing scope (the same departments and agents), so a position means "chats ahead of you for the same people". */
export function scopeKey(scope: ChatScope): string {
  if (scope.source === 'company') return '*';
  return `${[...scope.departmentIds].sort().join(',')}|${[...scope.agentIds].sort().join(',')}`;
}

const before = (a: Slot, b: Slot) => b.priority - a.priority || a.enqueuedAt - b.enqueuedAt || a.seq - b.seq;

/** Waiting chats: FIFO per scope, higher priority ahead; a free agent takes the first chat they can serve. */
export class ChatQueue {
  private lines = new Map<string, Slot[]>();
  private where = new Map<string, string>(); // chatId → scope key
  private seq = 0;

  /** Rebuild from stored rows (after a restart, or on another node): order depends only on the rows. */
  static from(entries: readonly QueuedChat[]): ChatQueue {
    const q = new ChatQueue();
    const sorted = [...entries].sort((a, b) => a.enqueuedAt - b.enqueuedAt || (a.chatId < b.chatId ? -1 : 1));
    for (const e of sorted) q.enqueue(e);
    return q;
  }

  get size(): number { return this.where.size; }
  has(chatId: string): boolean { return this.where.has(chatId); }

  /** Adds the chat (again: moves it) and returns its position, or overflow when its line already holds `maxWaiting`. */
  enqueue(entry: QueuedChat, opts: { maxWaiting?: number } = {}): { position: number } | { overflow: true } {
    const key = scopeKey(entry.scope);
    const others = (this.lines.get(key)?.length ?? 0) - (this.where.get(entry.chatId) === key ? 1 : 0);
    if (opts.maxWaiting !== undefined && others >= opts.maxWaiting) return { overflow: true };
    this.remove(entry.chatId);
    const line = this.lines.get(key) ?? [];
    const slot: Slot = { ...entry, seq: this.seq++ };
    let i = line.length;
    while (i > 0 && before(slot, line[i - 1]) < 0) i--; // usually appends: O(1)
    line.splice(i, 0, slot);
    this.lines.set(key, line);
    this.where.set(entry.chatId, key);
    return { position: i + 1 };
  }

  /** 1-based place in its line; undefined when not waiting. */
  positionOf(chatId: string): number | undefined {
    const key = this.where.get(chatId);
    if (key === undefined) return undefined;
    return this.lines.get(key)!.findIndex((s) => s.chatId === chatId) + 1;
  }

  /** Every waiting chat's position, to push to each visitor after a change. */
  positions(): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of this.lines.values()) line.forEach((s, i) => out.set(s.chatId, i + 1));
    return out;
  }

  remove(chatId: string): boolean {
    const key = this.where.get(chatId);
    if (key === undefined) return false;
    const line = this.lines.get(key)!;
    line.splice(line.findIndex((s) => s.chatId === chatId), 1);
    if (!line.length) this.lines.delete(key);
    this.where.delete(chatId);
    return true;
  }

  /** All waiting chats, first to be served first. */
  list(): QueuedChat[] {
    return [...this.lines.values()].flat().sort(before).map(strip);
  }

  /** The first chat (priority, then age) this agent may serve, taken out of the queue. */
  dequeueFor(agent: Pick<ChatAgent, 'userId' | 'departmentIds' | 'skills'>): QueuedChat | undefined {
    let best: Slot | undefined;
    for (const line of this.lines.values()) {
      const first = line.find((s) => canServe(agent, s));
      if (first && (!best || before(first, best) < 0)) best = first;
    }
    if (!best) return undefined;
    this.remove(best.chatId);
    return strip(best);
  }

  /** Takes out chats that have waited `maxWaitMs` or longer (they go to the offline-message path). */
  takeExpired(now: number, maxWaitMs: number): QueuedChat[] {
    const expired = this.list().filter((e) => now - e.enqueuedAt >= maxWaitMs);
    for (const e of expired) this.remove(e.chatId);
    return expired;
  }
}

function canServe(agent: Pick<ChatAgent, 'userId' | 'departmentIds' | 'skills'>, chat: QueuedChat): boolean {
  return !chat.exclude?.includes(agent.userId) && inScope(chat.scope, agent.userId, agent.departmentIds) && hasSkills(agent, chat.skills);
}

function strip({ seq: _seq, ...entry }: Slot): QueuedChat {
  return entry;
}

/**
 * A new chat arrives: assign it, queue it or send it to the offline form. It joins the queue and the
 * queue is drained, so a free agent serves an earlier waiting chat they can take before this newcomer.
 * `assignments` lists every chat handed out (waiting ones included), for the caller to write.
 */
export function admitChat(queue: ChatQueue, chat: QueuedChat, agents: readonly ChatAgent[], opts: { maxWaiting?: number; now: Date }): { admission: Admission; assignments: Array<{ chatId: string; userId: string }> } {
  const decision = decideChatAgent(chat, agents);
  if (decision.kind === 'offline') return { admission: decision, assignments: [] };
  // Only a chat that must wait can overflow; one a free agent takes now never does.
  const queued = queue.enqueue(chat, decision.kind === 'wait' ? { maxWaiting: opts.maxWaiting } : {});
  if ('overflow' in queued) return { admission: { kind: 'overflow' }, assignments: [] };
  const assignments = drainQueue(queue, agents, opts.now);
  const mine = assignments.find((a) => a.chatId === chat.chatId);
  return { admission: mine ? { kind: 'assign', userId: mine.userId } : { kind: 'queued', position: queue.positionOf(chat.chatId)! }, assignments };
}

/**
 * After anything frees capacity (a chat ends, an agent comes online, a transfer, a capacity change):
 * hand waiting chats, in queue order, to the least-busy agent able to take each. A chat nobody free can
 * serve stays and does not block the ones behind it. Returns the assignments made, in order.
 */
export function drainQueue(queue: ChatQueue, agents: readonly ChatAgent[], now: Date): Array<{ chatId: string; userId: string }> {
  const state = agents.map((a) => ({ ...a }));
  const out: Array<{ chatId: string; userId: string }> = [];
  for (const chat of queue.list()) {
    const d = decideChatAgent(chat, state);
    if (d.kind !== 'assign') continue;
    queue.remove(chat.chatId);
    const agent = state.find((a) => a.userId === d.userId)!;
    agent.activeChats++;
    agent.lastChatAt = now;
    out.push({ chatId: chat.chatId, userId: d.userId });
  }
  return out;
}
