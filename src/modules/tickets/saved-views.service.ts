import { asc, count, desc, eq, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import { SAVED_VIEW_LIMIT, type SavedViewInput, type SavedViewPatch, type SavedViewView } from '../../contracts/saved-views.ts';
import type { TicketFilters } from '../../contracts/tickets.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorUserId, can } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { departments, users } from '../staff/staff.schema.ts';
import { assertOwned, inTenant } from '../tenant-scope.ts';
import { savedViews, ticketTypes, type SavedView } from './tickets.schema.ts';

/**
 * Saved queue filters. A personal view (ownerId set) is its owner's alone: anyone else gets a 404, as
 * for a row that does not exist. A shared view (ownerId null) is everyone's to use; changing it is an
 * admin change (settings.manage), audited.
 */

const isShared = (v: SavedView) => v.ownerId === null;

function mayEdit(ctx: Ctx, v: SavedView): boolean {
  return isShared(v) ? can(ctx.actor, 'settings.manage') : v.ownerId === actorUserId(ctx.actor);
}

export function presentSavedView(ctx: Ctx, v: SavedView): SavedViewView {
  return {
    id: v.id, name: v.name, filters: v.filters as TicketFilters, shared: isShared(v), ownerId: v.ownerId,
    sortOrder: v.sortOrder, createdAt: v.createdAt.toISOString(), canEdit: mayEdit(ctx, v),
  };
}

/** Who may use a view: everyone for shared ones, the owner for personal ones. */
function usable(ctx: Ctx): SQL {
  const me = actorUserId(ctx.actor);
  return me ? or(isNull(savedViews.ownerId), eq(savedViews.ownerId, me))! : isNull(savedViews.ownerId);
}

/** The company's shared views first, then mine; each in their chosen order. */
export async function listSavedViews(ctx: Ctx): Promise<SavedView[]> {
  return ctx.db.select().from(savedViews).where(inTenant(ctx, savedViews, usable(ctx)))
    .orderBy(desc(sql`${savedViews.ownerId} is null`), asc(savedViews.sortOrder), asc(savedViews.createdAt), asc(savedViews.id));
}

/** A view the caller may use, or 404 (another person's personal view is not revealed). */
export async function loadUsableView(ctx: Ctx, id: string): Promise<SavedView> {
  const [v] = await ctx.db.select().from(savedViews).where(inTenant(ctx, savedViews, eq(savedViews.id, id), usable(ctx))).limit(1);
  if (!v) throw new AppError('not_found');
  return v;
}

/** The ids a filter names must be this company's: a foreign or unknown one is a 404, like any other. */
async function assertFilterTargets(ctx: Ctx, f: TicketFilters): Promise<void> {
  await assertOwned(ctx, departments, f.departmentIds);
  await assertOwned(ctx, ticketTypes, f.typeIds);
  if (f.assignee && f.assignee !== 'me' && f.assignee !== 'none') await assertOwned(ctx, users, [f.assignee]);
}

/** Names are unique per owner (or among shared views), and each scope holds at most SAVED_VIEW_LIMIT views. */
async function assertRoom(ctx: Ctx, ownerId: string | null, name: string, except?: string): Promise<void> {
  const scope = ownerId ? eq(savedViews.ownerId, ownerId) : isNull(savedViews.ownerId);
  const others = except ? ne(savedViews.id, except) : undefined;
  const [dup] = await ctx.db.select({ id: savedViews.id }).from(savedViews).where(inTenant(ctx, savedViews, scope, others, eq(savedViews.name, name))).limit(1);
  if (dup) throw new AppError('name_taken');
  const [{ n }] = await ctx.db.select({ n: count() }).from(savedViews).where(inTenant(ctx, savedViews, scope, others));
  if (n >= SAVED_VIEW_LIMIT) {
    throw new AppError('validation', ownerId
      ? `You can keep at most ${SAVED_VIEW_LIMIT} personal views: delete one first`
      : `The company can keep at most ${SAVED_VIEW_LIMIT} shared views: delete one first`);
  }
}

/** The owner a new or changed view gets: none when shared (which needs settings.manage), else the caller. */
function ownerFor(ctx: Ctx, shared: boolean): string | null {
  if (shared) {
    if (!can(ctx.actor, 'settings.manage')) throw new AppError('forbidden', 'Sharing a view with the whole company needs the settings.manage permission');
    return null;
  }
  const me = actorUserId(ctx.actor);
  if (!me) throw new AppError('validation', 'Only a staff member can keep a personal view');
  return me;
}

const audited = (v: SavedView) => ({ name: v.name, filters: v.filters, sortOrder: v.sortOrder });

export async function createSavedView(ctx: Ctx, input: SavedViewInput): Promise<SavedView> {
  const ownerId = ownerFor(ctx, input.shared ?? false);
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await assertFilterTargets(c, input.filters);
    await assertRoom(c, ownerId, input.name);
    const [row] = await tx.insert(savedViews).values({
      tenantId: ctx.tenantId, ownerId, name: input.name, filters: input.filters, sortOrder: input.sortOrder ?? 0,
    }).returning();
    if (!ownerId) await recordAudit(c, { action: 'saved_view.create', targetType: 'saved_view', targetId: row.id, after: audited(row) });
    return row;
  });
}

async function loadEditable(ctx: Ctx, id: string): Promise<SavedView> {
  const [v] = await ctx.db.select().from(savedViews).where(inTenant(ctx, savedViews, eq(savedViews.id, id), usable(ctx))).limit(1).for('update');
  if (!v) throw new AppError('not_found');
  if (!mayEdit(ctx, v)) throw new AppError('forbidden', 'Changing a shared view needs the settings.manage permission');
  return v;
}

export async function updateSavedView(ctx: Ctx, id: string, patch: SavedViewPatch): Promise<SavedView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await loadEditable(c, id);
    const ownerId = patch.shared === undefined || patch.shared === isShared(before) ? before.ownerId : ownerFor(c, patch.shared);
    if (patch.filters) await assertFilterTargets(c, patch.filters);
    const name = patch.name ?? before.name;
    if (name !== before.name || ownerId !== before.ownerId) await assertRoom(c, ownerId, name, id);
    const [after] = await tx.update(savedViews).set({
      name, ownerId, filters: patch.filters ?? before.filters, sortOrder: patch.sortOrder ?? before.sortOrder,
    }).where(inTenant(c, savedViews, eq(savedViews.id, id))).returning();
    if (isShared(before) || isShared(after)) {
      await recordAudit(c, { action: 'saved_view.update', targetType: 'saved_view', targetId: id, before: { ...audited(before), shared: isShared(before) }, after: { ...audited(after), shared: isShared(after) } });
    }
    return after;
  });
}

export async function deleteSavedView(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await loadEditable(c, id);
    await tx.delete(savedViews).where(inTenant(c, savedViews, eq(savedViews.id, id)));
    if (isShared(before)) await recordAudit(c, { action: 'saved_view.delete', targetType: 'saved_view', targetId: id, before: audited(before) });
  });
}
