import type { Subscriber } from '../../events/subscriber.ts';

/**
 * Pushes domain events to connected consoles. Rooms: tenant:<id> for everyone in a company,
 * agent:<id> for one person. Payloads are the event's ids and changes; clients refetch what they show.
 */
export const realtimeSubscriber: Subscriber = {
  name: 'realtime',
  now: true,
  handles: ['staff.invited', 'staff.activated', 'staff.updated', 'staff.presence_changed', 'role.changed', 'department.changed', 'team.changed',
    'ticket.created', 'ticket.updated', 'ticket.assigned', 'ticket.forwarded', 'ticket.escalated', 'ticket.merged', 'message.added', 'sla.breached'],
  async handle(stored, rt) {
    if (!stored.tenantId) return;
    // Ticket events go to everyone in the company, so they carry only ids: whoever may see the ticket
    // refetches it through the API, which applies the visibility rules.
    const body = 'ticketId' in stored.event ? { type: stored.event.type, ticketId: stored.event.ticketId } : stored.event;
    const payload = { ...body, eventId: stored.id, occurredAt: stored.occurredAt.toISOString() };
    // One emit to all rooms: one cross-node message, and a socket in several rooms gets it once.
    rt.broadcast([
      `tenant:${stored.tenantId}`,
      ...('userId' in stored.event ? [`agent:${stored.event.userId}`] : []),
      ...('ticketId' in stored.event ? [`ticket:${stored.event.ticketId}`] : []),
    ], stored.event.type, payload);
  },
};
