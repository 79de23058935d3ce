import { eq, inArray } from 'drizzle-orm';
import { AppError, type LocalizedText } from '../../contracts/errors.ts';
import type { Actor } from '../auth/actor.ts';
import { staffActor } from '../auth/sessions.ts';
import type { Ctx } from '../context.ts';
import { roles, users, type User } from '../staff/staff.schema.ts';
import { inTenant } from '../tenant-scope.ts';
import { canSeeTicket } from './tickets.policy.ts';
import type { Ticket } from './tickets.schema.ts';

/**
 * Colleagues someone names on a ticket (a follower added, a colleague @mentioned), judged by the same
 * visibility rule that guards the ticket itself: seen through their own role and departments.
 */
export interface Colleague { user: User; actor: Actor & { kind: 'staff' } }

/** The named staff of this company; an id that is not one of them is a 404, like any foreign id. */
export async function loadColleagues(ctx: Ctx, ids: readonly string[]): Promise<Colleague[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const rows = await ctx.db.select({ u: users, r: roles }).from(users).innerJoin(roles, eq(roles.id, users.roleId))
    .where(inTenant(ctx, users, inArray(users.id, unique)));
  if (rows.length !== unique.length) throw new AppError('not_found');
  return rows.map((row) => ({ user: row.u, actor: staffActor(row.u, row.r, null, 'session') }));
}

/** Could this colleague open the ticket (the policy as it would apply to them)? */
export function colleagueCanSee(ctx: Ctx, colleague: Colleague, ticket: Ticket): Promise<boolean> {
  return canSeeTicket({ ...ctx, actor: colleague.actor }, ticket);
}

/** What naming a colleague is for, finishing the refusal's sentence in both languages. */
export const PURPOSE = {
  follow: { zh: '不能关注该工单', en: 'so they cannot follow it' },
  mention: { zh: '提及无法送达', en: 'so a mention would not reach them' },
} satisfies Record<string, LocalizedText>;

/** Every named colleague is active and could open the ticket, else a 400 that says who and why. */
export async function assertColleaguesCanSee(ctx: Ctx, ids: readonly string[], ticket: Ticket, purpose: LocalizedText): Promise<Colleague[]> {
  const list = await loadColleagues(ctx, ids);
  for (const c of list) {
    const name = c.user.name;
    if (c.user.status !== 'active') throw new AppError('validation', { zh: `${name} 的账号尚未激活或已停用，${purpose.zh}`, en: `${name} is not an active staff member, ${purpose.en}` });
    if (!(await colleagueCanSee(ctx, c, ticket))) {
      throw new AppError('validation', { zh: `${name} 无权查看工单 #${ticket.number}，${purpose.zh}`, en: `${name} may not open ticket #${ticket.number}, ${purpose.en}` });
    }
  }
  return list;
}

/** The subset of these users who are active and may see the ticket now (notification time). */
export async function whoCanSee(ctx: Ctx, ids: readonly string[], ticket: Ticket): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const rows = await ctx.db.select({ u: users, r: roles }).from(users).innerJoin(roles, eq(roles.id, users.roleId))
    .where(inTenant(ctx, users, inArray(users.id, unique), eq(users.status, 'active')));
  const out: string[] = [];
  for (const row of rows) {
    if (await colleagueCanSee(ctx, { user: row.u, actor: staffActor(row.u, row.r, null, 'session') }, ticket)) out.push(row.u.id);
  }
  return out;
}
