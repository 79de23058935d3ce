import type { Permission } from '../../contracts/permissions.ts';
import type { ActorRef } from '../../events/catalog.ts';

/** Whoever is acting. Policies decide on this alone. */
export type Actor =
  | { kind: 'staff'; userId: string; name: string; roleId: string; builtinRole: string | null; permissions: ReadonlySet<Permission>; sessionId: string | null; via: 'session' | 'apiToken' }
  | { kind: 'system'; name: string };

export const SYSTEM: Actor = { kind: 'system', name: 'system' };

export function actorRef(actor: Actor): ActorRef {
  return actor.kind === 'system' ? { kind: 'system', name: actor.name } : { kind: actor.via === 'apiToken' ? 'apiToken' : 'staff', id: actor.userId, name: actor.name };
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'staff' ? actor.userId : null;
}

/** The one permission check every route and service uses. The system actor may do anything. */
export function can(actor: Actor, permission: Permission): boolean {
  return actor.kind === 'system' || actor.permissions.has(permission);
}
