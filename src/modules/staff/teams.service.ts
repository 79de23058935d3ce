import { eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { TeamInput, TeamPatch, TeamView } from '../../contracts/staff.ts';
import { emit } from '../../events/outbox.ts';
import { actorRef } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { assertOwned, findOwned, inTenant } from '../tenant-scope.ts';
import { departments, teamMembers, teams, users, type Team } from './staff.schema.ts';

export async function listTeams(ctx: Ctx): Promise<{ items: TeamView[]; total: number }> {
  const rows = await ctx.db.select().from(teams).where(inTenant(ctx, teams)).orderBy(teams.name);
  const members = await ctx.db.select().from(teamMembers).where(inTenant(ctx, teamMembers));
  return { total: rows.length, items: rows.map((t) => present(t, members.filter((m) => m.teamId === t.id).map((m) => m.userId))) };
}

export async function getTeam(ctx: Ctx, id: string): Promise<TeamView> {
  const t = await findOwned(ctx, teams, id);
  const members = await ctx.db.select().from(teamMembers).where(inTenant(ctx, teamMembers, eq(teamMembers.teamId, id)));
  return present(t, members.map((m) => m.userId));
}

async function checkRefs(ctx: Ctx, input: TeamPatch) {
  if (input.departmentId) await findOwned(ctx, departments, input.departmentId);
  if (input.leadId) await findOwned(ctx, users, input.leadId);
  await assertOwned(ctx, users, input.memberIds);
}

async function assertNameFree(ctx: Ctx, name: string) {
  const [dup] = await ctx.db.select({ id: teams.id }).from(teams).where(inTenant(ctx, teams, eq(teams.name, name)));
  if (dup) throw new AppError('name_taken');
}

export async function createTeam(ctx: Ctx, input: TeamInput): Promise<TeamView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await checkRefs(c, input);
    await assertNameFree(c, input.name);
    const [t] = await tx.insert(teams).values({ tenantId: ctx.tenantId, name: input.name, departmentId: input.departmentId ?? null, leadId: input.leadId ?? null }).returning();
    await setMembers(c, t.id, input.memberIds);
    const view = await getTeam(c, t.id);
    await recordAudit(c, { action: 'team.create', targetType: 'team', targetId: t.id, after: view });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'team.changed', teamId: t.id, change: 'created' });
    return view;
  });
}

export async function updateTeam(ctx: Ctx, id: string, patch: TeamPatch): Promise<TeamView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await getTeam(c, id);
    await checkRefs(c, patch);
    if (patch.name && patch.name !== before.name) await assertNameFree(c, patch.name);
    await tx.update(teams).set({
      name: patch.name ?? before.name,
      departmentId: patch.departmentId === undefined ? before.departmentId : patch.departmentId,
      leadId: patch.leadId === undefined ? before.leadId : patch.leadId,
    }).where(inTenant(c, teams, eq(teams.id, id)));
    await setMembers(c, id, patch.memberIds);
    const after = await getTeam(c, id);
    await recordAudit(c, { action: 'team.update', targetType: 'team', targetId: id, before, after });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'team.changed', teamId: id, change: 'updated' });
    return after;
  });
}

export async function deleteTeam(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await getTeam(c, id);
    await tx.delete(teams).where(inTenant(c, teams, eq(teams.id, id)));
    await recordAudit(c, { action: 'team.delete', targetType: 'team', targetId: id, before });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'team.changed', teamId: id, change: 'deleted' });
  });
}

async function setMembers(ctx: Ctx, teamId: string, memberIds?: string[]) {
  if (!memberIds) return;
  await ctx.db.delete(teamMembers).where(inTenant(ctx, teamMembers, eq(teamMembers.teamId, teamId)));
  if (memberIds.length) await ctx.db.insert(teamMembers).values(memberIds.map((userId) => ({ tenantId: ctx.tenantId, teamId, userId })));
}

function present(t: Team, memberIds: string[]): TeamView {
  return { id: t.id, name: t.name, departmentId: t.departmentId, leadId: t.leadId, memberIds, createdAt: t.createdAt.toISOString() };
}
