import { AssignmentSettingsInput, AssignmentSettingsView, CalendarInput, CalendarList, CalendarView, CapacityInput, CapacityView } from '../../contracts/assignment.ts';
import { IdParams } from '../../contracts/common.ts';
import { defineRoute } from '../../server/define-route.ts';
import { getCapacity, getSettings, listCalendars, putSettings, saveCalendar, setCapacity } from './assignment.service.ts';

export const assignmentRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/departments/:id/assignment', summary: 'How the department\'s new tickets are assigned', tags: ['assignment'],
    access: 'staff', params: IdParams, response: AssignmentSettingsView,
    handler: ({ params, ctx }) => getSettings(ctx, params.id),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/departments/:id/assignment', summary: 'Set the assignment mode, stickiness, business hours and the untouched-ticket timeout', tags: ['assignment'],
    access: { permission: 'departments.manage' }, params: IdParams, body: AssignmentSettingsInput, response: AssignmentSettingsView,
    handler: ({ params, body, ctx }) => putSettings(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/business-calendars', summary: 'Business-hours calendars', tags: ['assignment'],
    access: 'staff', response: CalendarList,
    handler: ({ ctx }) => listCalendars(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/business-calendars', summary: 'Create a business-hours calendar (weekly hours in a time zone, holidays)', tags: ['assignment'],
    access: { permission: 'settings.manage' }, body: CalendarInput, response: CalendarView, status: 201,
    handler: ({ body, ctx }) => saveCalendar(ctx, null, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/business-calendars/:id', summary: 'Replace a business-hours calendar', tags: ['assignment'],
    access: { permission: 'settings.manage' }, params: IdParams, body: CalendarInput, response: CalendarView,
    handler: ({ params, body, ctx }) => saveCalendar(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/staff/:id/capacity', summary: 'How many tickets an agent may hold and holds now', tags: ['assignment'],
    access: 'staff', params: IdParams, response: CapacityView,
    handler: ({ params, ctx }) => getCapacity(ctx, params.id),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/staff/:id/capacity', summary: 'Set how many tickets an agent may hold (0 = no limit)', tags: ['assignment'],
    access: { permission: 'staff.manage' }, params: IdParams, body: CapacityInput, response: CapacityView,
    handler: ({ params, body, ctx }) => setCapacity(ctx, params.id, body.ticketCapacity),
  }),
];
