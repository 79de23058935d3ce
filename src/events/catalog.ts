/**
 * Every domain event Kefu emits. Payloads hold ids and changed fields, never live rows,
 * so an event means the same thing when it is delivered an hour later.
 */
export type DomainEvent =
  | { type: 'staff.invited'; userId: string; email: string }
  | { type: 'staff.activated'; userId: string }
  | { type: 'staff.updated'; userId: string; changes: Record<string, [unknown, unknown]> }
  | { type: 'staff.presence_changed'; userId: string; presence: string }
  | { type: 'role.changed'; roleId: string; change: 'created' | 'updated' | 'deleted' }
  | { type: 'department.changed'; departmentId: string; change: 'created' | 'updated' | 'deleted' }
  | { type: 'team.changed'; teamId: string; change: 'created' | 'updated' | 'deleted' }
  | { type: 'mail.queued'; mailId: string }
  | { type: 'tenant.created'; slug: string }
  | { type: 'ticket.created'; ticketId: string; number: number; departmentId: string | null; channel: string }
  | { type: 'message.added'; ticketId: string; messageId: string; authorType: string; visibility: string; mentions?: string[]; channel?: string }
  | { type: 'ticket.updated'; ticketId: string; changes: Record<string, [unknown, unknown]> }
  | { type: 'ticket.assigned'; ticketId: string; from: string | null; to: string | null }
  | { type: 'ticket.forwarded'; ticketId: string; from: string | null; to: string; reason: string }
  | { type: 'ticket.escalated'; ticketId: string; level: number; source: 'agent' | 'customer' | 'sla'; reason: string; notify?: EscalationNotifyTarget[] }
  /** ticketId is the merged (now closed) source; its messages, attachments and followers moved to targetId. */
  | { type: 'ticket.merged'; ticketId: string; targetId: string; sourceNumber: number; targetNumber: number; reason: string | null }
  | { type: 'sla.warning'; ticketId: string; metric: string; dueAt: string }
  | { type: 'sla.breached'; ticketId: string; metric: string; dueAt: string };

export type EventType = DomainEvent['type'];

/** Who an escalation tells, besides the ticket's assignee (an SLA level names them; by hand: the team lead). */
export type EscalationNotifyTarget = 'assignee' | 'team_lead' | 'department_members' | 'admins';

/** Who caused an event; the CLI, jobs and subscribers act as system. */
export type ActorRef = { kind: 'staff' | 'apiToken'; id: string; name: string } | { kind: 'system'; name: string };

export interface StoredEvent<E extends DomainEvent = DomainEvent> {
  id: number;
  tenantId: string | null;
  occurredAt: Date;
  actor: ActorRef | null;
  causationId: string | null;
  event: E;
}
