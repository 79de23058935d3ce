import { asc, eq } from 'drizzle-orm';
import type { RegionStrategyInput, RegionStrategyPatch, WidgetStyleInput, WidgetStylePatch } from '../../contracts/chat.ts';
import { AppError } from '../../contracts/errors.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import type { Ctx } from '../../modules/context.ts';
import { departments, users } from '../../modules/staff/staff.schema.ts';
import { assertOwned, findOwned, inTenant } from '../../modules/tenant-scope.ts';
import { regionStrategies, widgetStyles, type RegionStrategyRow, type WidgetStyle } from './webchat.schema.ts';
import { logoPath } from './widget-logo.ts';
import { checkThresholds, DEFAULT_ROBOT_THRESHOLDS } from './robot-decision.ts';

/** Names are shown in lists and pickers: blank is refused, anything else is kept as written. */
function named<T extends { name?: string }>(input: T): T {
  if (input.name !== undefined && !input.name.trim()) throw new AppError('validation', 'A name is required');
  return input;
}

/** The robot's three thresholds as they will be after the change: floor <= suggest <= answer (robot-decision.ts). */
function robotThresholdsValid(t: { robotAnswerThreshold?: number; robotSuggestThreshold?: number; robotHandoverFloor?: number }) {
  const bad = checkThresholds({
    answer: t.robotAnswerThreshold ?? DEFAULT_ROBOT_THRESHOLDS.answer, suggest: t.robotSuggestThreshold ?? DEFAULT_ROBOT_THRESHOLDS.suggest, floor: t.robotHandoverFloor ?? DEFAULT_ROBOT_THRESHOLDS.floor,
  });
  if (bad) throw new AppError('validation', bad);
}
const thresholdsOf = (s: WidgetStyle) => ({ robotAnswerThreshold: s.robotAnswerThreshold, robotSuggestThreshold: s.robotSuggestThreshold, robotHandoverFloor: s.robotHandoverFloor });

/** The snippet a company pastes into its site: the loader, told which style to show. */
export function snippetFor(publicUrl: string, styleId: string): string {
  return `<script src="${publicUrl}/widget.js" data-style="${styleId}" async></script>`;
}

export const presentStyle = (s: WidgetStyle, publicUrl: string) => ({
  id: s.id, name: s.name, themeColor: s.themeColor, position: s.position, greetingZh: s.greetingZh, greetingEn: s.greetingEn, language: s.language,
  designatedDepartmentIds: s.designatedDepartmentIds, designatedAgentIds: s.designatedAgentIds, hideDepartmentNames: s.hideDepartmentNames,
  hideOfflineAgents: s.hideOfflineAgents, proactiveInvite: s.proactiveInvite, robotEnabled: s.robotEnabled, preChatFields: s.preChatFields,
  robotName: s.robotName, robotGreetingZh: s.robotGreetingZh, robotGreetingEn: s.robotGreetingEn,
  robotAnswerThreshold: s.robotAnswerThreshold, robotSuggestThreshold: s.robotSuggestThreshold, robotHandoverFloor: s.robotHandoverFloor, snippet: snippetFor(publicUrl, s.id),
  showLastConversation: s.showLastConversation, maxQueueLength: s.maxQueueLength, logoUrl: logoPath(s),
});

export const presentStrategy = (r: RegionStrategyRow) => ({
  id: r.id, name: r.name, regions: r.regions.map((x) => ({ province: x.province, city: x.city ?? null })), departmentIds: r.departmentIds, priority: r.priority, enabled: r.enabled,
});

export async function listStyles(ctx: Ctx) {
  const rows = await ctx.db.select().from(widgetStyles).where(inTenant(ctx, widgetStyles)).orderBy(asc(widgetStyles.createdAt));
  return { items: rows.map((s) => presentStyle(s, ctx.publicUrl)), total: rows.length };
}

export async function createStyle(ctx: Ctx, input: WidgetStyleInput) {
  await assertOwned(ctx, departments, input.designatedDepartmentIds);
  await assertOwned(ctx, users, input.designatedAgentIds);
  return ctx.db.transaction(async (tx) => {
    robotThresholdsValid(input);
    const [row] = await tx.insert(widgetStyles).values({ ...named(input), tenantId: ctx.tenantId }).returning();
    await recordAudit({ ...ctx, db: tx }, { action: 'widget_style.create', targetType: 'widget_style', targetId: row.id, after: presentStyle(row, '') });
    return presentStyle(row, ctx.publicUrl);
  });
}

export async function updateStyle(ctx: Ctx, id: string, patch: WidgetStylePatch) {
  const before = await findOwned(ctx, widgetStyles, id);
  await assertOwned(ctx, departments, patch.designatedDepartmentIds);
  await assertOwned(ctx, users, patch.designatedAgentIds);
  robotThresholdsValid({ ...thresholdsOf(before), ...patch });
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(widgetStyles).set({ ...named(patch), updatedAt: new Date() }).where(eq(widgetStyles.id, id)).returning();
    await recordAudit({ ...ctx, db: tx }, { action: 'widget_style.update', targetType: 'widget_style', targetId: id, before: presentStyle(before, ''), after: presentStyle(row, '') });
    return presentStyle(row, ctx.publicUrl);
  });
}

export async function listStrategies(ctx: Ctx) {
  const rows = await ctx.db.select().from(regionStrategies).where(inTenant(ctx, regionStrategies)).orderBy(asc(regionStrategies.priority), asc(regionStrategies.name));
  return { items: rows.map(presentStrategy), total: rows.length };
}

/** Stored as the admin wrote them (浙江省 or 浙江): region-routing.ts normalizes both sides when matching. */
const cleanRegions = (regions: RegionStrategyInput['regions']) => regions.map((r) => ({ province: r.province, city: r.city ?? null }));

export async function createStrategy(ctx: Ctx, input: RegionStrategyInput) {
  await assertOwned(ctx, departments, input.departmentIds);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(regionStrategies).values({ ...named(input), regions: cleanRegions(input.regions), tenantId: ctx.tenantId }).returning();
    await recordAudit({ ...ctx, db: tx }, { action: 'region_strategy.create', targetType: 'region_strategy', targetId: row.id, after: presentStrategy(row) });
    return presentStrategy(row);
  });
}

export async function updateStrategy(ctx: Ctx, id: string, patch: RegionStrategyPatch) {
  const before = await findOwned(ctx, regionStrategies, id);
  await assertOwned(ctx, departments, patch.departmentIds);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(regionStrategies).set({ ...named(patch), ...(patch.regions ? { regions: cleanRegions(patch.regions) } : {}) })
      .where(eq(regionStrategies.id, id)).returning();
    await recordAudit({ ...ctx, db: tx }, { action: 'region_strategy.update', targetType: 'region_strategy', targetId: id, before: presentStrategy(before), after: presentStrategy(row) });
    return presentStrategy(row);
  });
}

export async function deleteStrategy(ctx: Ctx, id: string) {
  const before = await findOwned(ctx, regionStrategies, id);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(regionStrategies).where(eq(regionStrategies.id, id));
    await recordAudit({ ...ctx, db: tx }, { action: 'region_strategy.delete', targetType: 'region_strategy', targetId: id, before: presentStrategy(before) });
  });
}
