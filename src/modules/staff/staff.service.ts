import { count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { InviteInput, ProfilePatch, StaffPatch, StaffQuery, StaffView, Presence } from '../../contracts/staff.ts';
import { emit } from '../../events/outbox.ts';
import { actorRef, actorUserId } from '../auth/actor.ts';
import { issueUserToken } from '../auth/user-tokens.ts';
import { endSessions } from '../auth/sessions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { changedFields } from '../changes.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { invitationMail } from '../mail/templates.ts';
import { assertOwned, findOwned, inTenant } from '../tenant-scope.ts';
import { tenants } from '../tenants/tenants.schema.ts';
import { departmentMembers, departments, roles, teamMembers, teams, users, type User } from './staff.schema.ts';

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export async function listStaff(ctx: Ctx, q: StaffQuery): Promise<{ items: StaffView[]; total: number }> {
  const where: Array<SQL | undefined> = [];
  if (q.status) where.push(eq(users.status, q.status));
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(users.name, like), ilike(users.email, like)));
  }
  if (q.departmentId) {
    where.push(inArray(users.id, ctx.db.select({ id: departmentMembers.userId }).from(departmentMembers)
      .where(inTenant(ctx, departmentMembers, eq(departmentMembers.departmentId, q.departmentId)))));
  }
  const cond = inTenant(ctx, users, ...where);
  const rows = await ctx.db.select().from(users).where(cond).orderBy(users.createdAt, users.id).limit(q.limit ?? 50).offset(q.offset ?? 0);
  const [{ n }] = await ctx.db.select({ n: count() }).from(users).where(cond);
  return { total: n, items: await presentStaff(ctx, rows) };
}

export async function getStaff(ctx: Ctx, id: string): Promise<StaffView> {
  const user = await findOwned(ctx, users, id);
  return (await presentStaff(ctx, [user]))[0];
}

/** Creates an invited account and mails an activation link (kept in the outbox either way). */
export async function inviteStaff(ctx: Ctx, input: InviteInput): Promise<StaffView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const email = input.email.toLowerCase();
    await findOwned(c, roles, input.roleId);
    await assertOwned(c, departments, input.departmentIds);
    await assertOwned(c, teams, input.teamIds);
    const [dup] = await tx.select({ id: users.id }).from(users).where(inTenant(c, users, eq(users.email, email)));
    if (dup) throw new AppError('email_taken');
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
    const [user] = await tx.insert(users).values({
      tenantId: ctx.tenantId, email, name: input.name, roleId: input.roleId, status: 'invited',
      level: input.level ?? 1, locale: input.locale ?? tenant.defaultLocale,
    }).returning();
    await setMemberships(c, user.id, input.departmentIds, input.teamIds);
    const token = await issueUserToken(c, user.id, 'invite', INVITE_TTL_MS);
    const link = `${ctx.publicUrl}/activate?token=${encodeURIComponent(token)}`;
    await enqueueMail(c, { purpose: 'invitation', to: email, ...invitationMail(user.locale, { name: user.name, company: tenant.name, inviter: ctx.actor.name, link }) });
    const view = (await presentStaff(c, [user]))[0];
    await recordAudit(c, { action: 'staff.invite', targetType: 'user', targetId: user.id, after: view });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'staff.invited', userId: user.id, email });
    return view;
  });
}

/** Sends a fresh invitation link to someone who has not activated yet. */
export async function resendInvitation(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const user = await findOwned(c, users, id);
    if (user.status !== 'invited') throw new AppError('validation', 'This account has already been activated');
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, ctx.tenantId));
    const token = await issueUserToken(c, user.id, 'invite', INVITE_TTL_MS);
    const link = `${ctx.publicUrl}/activate?token=${encodeURIComponent(token)}`;
    await enqueueMail(c, { purpose: 'invitation', to: user.email, ...invitationMail(user.locale, { name: user.name, company: tenant.name, inviter: ctx.actor.name, link }) });
    await recordAudit(c, { action: 'staff.reinvite', targetType: 'user', targetId: user.id });
  });
}

export async function updateStaff(ctx: Ctx, id: string, patch: StaffPatch): Promise<StaffView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const user = await findOwned(c, users, id);
    const before = (await presentStaff(c, [user]))[0];
    if (patch.roleId) await findOwned(c, roles, patch.roleId);
    await assertOwned(c, departments, patch.departmentIds);
    await assertOwned(c, teams, patch.teamIds);
    const self = actorUserId(ctx.actor) === id;
    if (self && patch.status === 'disabled') throw new AppError('self_action');
    if (patch.status === 'disabled' && user.status === 'invited') throw new AppError('validation', 'An invited account cannot be disabled before activation; delete the invitation instead');
    const [updated] = await tx.update(users).set({
      name: patch.name ?? user.name, roleId: patch.roleId ?? user.roleId,
      status: patch.status ?? user.status, level: patch.level ?? user.level, skills: patch.skills ?? user.skills, updatedAt: new Date(),
    }).where(inTenant(c, users, eq(users.id, id))).returning();
    await setMemberships(c, id, patch.departmentIds, patch.teamIds);
    await assertAdminRemains(c);
    if (updated.status === 'disabled' && user.status !== 'disabled') await endSessions(c, id);
    const after = (await presentStaff(c, [updated]))[0];
    const changes = changedFields(before, after);
    await recordAudit(c, { action: 'staff.update', targetType: 'user', targetId: id, before, after });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'staff.updated', userId: id, changes });
    return after;
  });
}

/** Removes an invitation that was never activated. Active accounts are disabled instead, to keep their history. */
export async function deleteInvitation(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const user = await findOwned(c, users, id);
    if (user.status !== 'invited') throw new AppError('validation', 'Only pending invitations can be deleted; disable an active account instead');
    const before = (await presentStaff(c, [user]))[0];
    await tx.delete(users).where(inTenant(c, users, eq(users.id, id)));
    await recordAudit(c, { action: 'staff.uninvite', targetType: 'user', targetId: id, before });
  });
}

export async function updateProfile(ctx: Ctx, userId: string, patch: ProfilePatch): Promise<void> {
  await ctx.db.update(users).set({ ...patch, updatedAt: new Date() }).where(inTenant(ctx, users, eq(users.id, userId)));
}

export async function setPresence(ctx: Ctx, userId: string, presence: Presence): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ presence }).where(inTenant(ctx, users, eq(users.id, userId), sql`${users.presence} <> ${presence}`)).returning({ id: users.id });
    if (row) await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'staff.presence_changed', userId, presence });
  });
}

async function setMemberships(ctx: Ctx, userId: string, departmentIds?: string[], teamIds?: string[]) {
  if (departmentIds) {
    await ctx.db.delete(departmentMembers).where(inTenant(ctx, departmentMembers, eq(departmentMembers.userId, userId)));
    if (departmentIds.length) await ctx.db.insert(departmentMembers).values(departmentIds.map((departmentId) => ({ tenantId: ctx.tenantId, departmentId, userId })));
  }
  if (teamIds) {
    await ctx.db.delete(teamMembers).where(inTenant(ctx, teamMembers, eq(teamMembers.userId, userId)));
    if (teamIds.length) await ctx.db.insert(teamMembers).values(teamIds.map((teamId) => ({ tenantId: ctx.tenantId, teamId, userId })));
  }
}

/** A company must never lock itself out: some active account keeps the Administrator role. */
async function assertAdminRemains(ctx: Ctx) {
  const [{ n }] = await ctx.db.select({ n: count() }).from(users).innerJoin(roles, eq(roles.id, users.roleId))
    .where(inTenant(ctx, users, eq(users.status, 'active'), eq(roles.builtin, 'admin')));
  if (n === 0) throw new AppError('last_admin');
}

export async function presentStaff(ctx: Ctx, rows: User[]): Promise<StaffView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  // Sequential on purpose: inside a transaction all three share one connection.
  const roleRows = await ctx.db.select().from(roles).where(inTenant(ctx, roles, inArray(roles.id, [...new Set(rows.map((r) => r.roleId))])));
  const deptRows = await ctx.db.select().from(departmentMembers).where(inTenant(ctx, departmentMembers, inArray(departmentMembers.userId, ids)));
  const teamRows = await ctx.db.select().from(teamMembers).where(inTenant(ctx, teamMembers, inArray(teamMembers.userId, ids)));
  const roleById = new Map(roleRows.map((r) => [r.id, r]));
  return rows.map((u) => {
    const role = roleById.get(u.roleId)!;
    return {
      id: u.id, email: u.email, name: u.name, status: u.status as StaffView['status'], locale: u.locale as StaffView['locale'],
      level: u.level, skills: u.skills, presence: u.presence as StaffView['presence'],
      role: { id: role.id, name: role.name, builtin: role.builtin },
      departmentIds: deptRows.filter((d) => d.userId === u.id).map((d) => d.departmentId),
      teamIds: teamRows.filter((t) => t.userId === u.id).map((t) => t.teamId),
      createdAt: u.createdAt.toISOString(),
    };
  });
}
