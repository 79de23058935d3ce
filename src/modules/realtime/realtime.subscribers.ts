import type { Subscriber } from '../../events/subscriber.ts';

/**
 * Pushes domain events to connected consoles. Rooms: tenant:<id> for everyone in a company,
 * agent:<id> for one person. Payloads are the event's ids and changes; clients refetch what they show.
 */
export const realtimeSubscriber: Subscriber = {
  name: 'realtime',
  handles: ['staff.invited', 'staff.activated', 'staff.updated', 'staff.presence_changed', 'role.changed', 'department.changed', 'team.changed'],
  async handle(stored, rt) {
    if (!stored.tenantId) return;
    const payload = { ...stored.event, eventId: stored.id, occurredAt: stored.occurredAt.toISOString() };
    rt.broadcast(`tenant:${stored.tenantId}`, stored.event.type, payload);
    if ('userId' in stored.event) rt.broadcast(`agent:${stored.event.userId}`, stored.event.type, payload);
  },
};
