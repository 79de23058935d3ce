import { Type, type Static } from 'typebox';
import { Name, Uuid, listOf } from './common.ts';

export const AssignmentModeSchema = Type.Union([Type.Literal('manual'), Type.Literal('round_robin'), Type.Literal('least_loaded'), Type.Literal('skills')]);

export const AssignmentSettingsView = Type.Object({
  departmentId: Uuid, mode: AssignmentModeSchema, sticky: Type.Boolean(), deferOutsideHours: Type.Boolean(),
  reassignAfterMinutes: Type.Union([Type.Integer(), Type.Null()]), calendarId: Type.Union([Uuid, Type.Null()]),
});
export type AssignmentSettingsView = Static<typeof AssignmentSettingsView>;
export const AssignmentSettingsInput = Type.Object({
  mode: AssignmentModeSchema, sticky: Type.Optional(Type.Boolean()), deferOutsideHours: Type.Optional(Type.Boolean()),
  reassignAfterMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10080 }), Type.Null()])),
  calendarId: Type.Optional(Type.Union([Uuid, Type.Null()])),
}, { additionalProperties: false });
export type AssignmentSettingsInput = Static<typeof AssignmentSettingsInput>;

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
export const WeeklySlotSchema = Type.Object({ day: Type.Integer({ minimum: 0, maximum: 6 }), open: HHMM, close: HHMM }, { additionalProperties: false });
const Holiday = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const CalendarView = Type.Object({
  id: Uuid, name: Type.String(), timezone: Type.String(), slots: Type.Array(WeeklySlotSchema), holidays: Type.Array(Type.String()),
});
export type CalendarView = Static<typeof CalendarView>;
export const CalendarList = listOf(CalendarView);
export const CalendarInput = Type.Object({
  name: Name, timezone: Type.String({ minLength: 1, maxLength: 64 }),
  slots: Type.Array(WeeklySlotSchema, { maxItems: 50 }), holidays: Type.Optional(Type.Array(Holiday, { maxItems: 400, uniqueItems: true })),
}, { additionalProperties: false });
export type CalendarInput = Static<typeof CalendarInput>;

export const CapacityInput = Type.Object({ ticketCapacity: Type.Integer({ minimum: 0, maximum: 10000, description: '0 = no limit' }) }, { additionalProperties: false });
export const CapacityView = Type.Object({ userId: Uuid, ticketCapacity: Type.Integer(), openTickets: Type.Integer() });
