import { count, eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import {
  FIELD_LIMITS, type CustomFieldValues, type FieldKind, type FieldValidation, type SelectOption, type TicketFieldInput, type TicketFieldPatch,
  type TicketFieldView,
} from '../../contracts/ticket-fields.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { checkFieldDefinition, normalizeCustomFields, type FieldDef } from './custom-fields.ts';
import { ticketFields, type TicketField } from './tickets.schema.ts';

export function presentField(f: TicketField): TicketFieldView & FieldDef {
  return {
    id: f.id, key: f.key, labelZh: f.labelZh, labelEn: f.labelEn, kind: f.kind as FieldKind, required: f.required,
    options: Array.isArray(f.options) ? f.options as SelectOption[] : [], validation: (f.validation ?? {}) as FieldValidation,
    sortOrder: f.sortOrder, active: f.active, createdAt: f.createdAt.toISOString(),
  };
}

async function fieldRows(ctx: Ctx): Promise<TicketField[]> {
  return ctx.db.select().from(ticketFields).where(inTenant(ctx, ticketFields)).orderBy(ticketFields.sortOrder, ticketFields.key);
}

/** Every field of the company, retired ones too (their stored values are still shown), in display order. */
export async function listTicketFields(ctx: Ctx) {
  const rows = await fieldRows(ctx);
  return { total: rows.length, items: rows.map(presentField) };
}

/** One write can carry every active field, so a company keeps no more than that many. */
async function assertRoomForActive(ctx: Ctx) {
  const [{ n }] = await ctx.db.select({ n: count() }).from(ticketFields).where(inTenant(ctx, ticketFields, eq(ticketFields.active, true)));
  if (n >= FIELD_LIMITS.valuesMax) throw new AppError('validation', { zh: `启用的字段最多 ${FIELD_LIMITS.valuesMax} 个`, en: `A company can have at most ${FIELD_LIMITS.valuesMax} active fields` });
}

export async function createTicketField(ctx: Ctx, input: TicketFieldInput): Promise<TicketFieldView> {
  const options = input.options ?? [];
  const validation = input.validation ?? {};
  checkFieldDefinition(input.kind, options, validation);
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const [dup] = await tx.select({ id: ticketFields.id }).from(ticketFields).where(inTenant(c, ticketFields, eq(ticketFields.key, input.key)));
    if (dup) throw new AppError('name_taken', { zh: `标识 ${input.key} 已被使用`, en: `The key ${input.key} is already in use` });
    if (input.active !== false) await assertRoomForActive(c);
    const [row] = await tx.insert(ticketFields).values({
      tenantId: ctx.tenantId, key: input.key, labelZh: input.labelZh, labelEn: input.labelEn, kind: input.kind, required: input.required ?? false,
      options, validation, sortOrder: input.sortOrder ?? 0, active: input.active ?? true,
    }).returning();
    const view = presentField(row);
    await recordAudit(c, { action: 'ticket_field.create', targetType: 'ticket_field', targetId: row.id, after: view });
    return view;
  });
}

/**
 * Relabels, reorders, changes options, validation or required, retires or restores a field. Values already
 * stored stay as they are (a retired field keeps them; new limits apply to the next write).
 */
export async function updateTicketField(ctx: Ctx, id: string, patch: TicketFieldPatch): Promise<TicketFieldView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await findOwned(c, ticketFields, id);
    const kind = before.kind as FieldKind;
    if (patch.kind !== undefined && patch.kind !== kind) {
      throw new AppError('validation', { zh: '字段创建后不能更改类型（已保存的值会失效），请新建一个字段', en: 'A field\'s kind cannot change once it exists (stored values would no longer fit): add a new field instead' });
    }
    const was = presentField(before);
    const options = patch.options ?? was.options;
    const validation = patch.validation ?? was.validation;
    checkFieldDefinition(kind, options, validation);
    if (patch.active && !before.active) await assertRoomForActive(c);
    const [after] = await tx.update(ticketFields).set({
      labelZh: patch.labelZh ?? before.labelZh, labelEn: patch.labelEn ?? before.labelEn, required: patch.required ?? before.required,
      options, validation, sortOrder: patch.sortOrder ?? before.sortOrder, active: patch.active ?? before.active,
    }).where(inTenant(c, ticketFields, eq(ticketFields.id, id))).returning();
    const view = presentField(after);
    await recordAudit(c, { action: 'ticket_field.update', targetType: 'ticket_field', targetId: id, before: was, after: view });
    return view;
  });
}

/**
 * Values written to a ticket, checked against the company's fields and normalized; null clears a field.
 * `requireAll`: every active required field must be filled (tickets opened by hand).
 * Throws AppError('validation', '<label>: <what is wrong>') in the caller's language.
 */
export async function validateCustomFields(ctx: Ctx, values: CustomFieldValues, opts: { requireAll: boolean }): Promise<CustomFieldValues> {
  if (!opts.requireAll && !Object.keys(values).length) return {};
  const fields = (await fieldRows(ctx)).map(presentField);
  return normalizeCustomFields(fields, values, opts);
}
