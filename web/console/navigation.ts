import type { MessageKey } from '../shared/i18n.ts';
import type { Permission } from '../shared/types.ts';

export interface NavItem {
  path: string;
  label: MessageKey;
  /** Needed to see the page; null = every signed-in staff member. */
  permission: Permission | null;
  testId: string;
}

/** The admin center's pages, in menu order. The router and the menu both read this list. */
export const ADMIN_NAV: NavItem[] = [
  { path: '/admin/staff', label: 'nav.staff', permission: null, testId: 'nav-staff' },
  { path: '/admin/roles', label: 'nav.roles', permission: 'roles.manage', testId: 'nav-roles' },
  { path: '/admin/departments', label: 'nav.departments', permission: 'departments.manage', testId: 'nav-departments' },
  { path: '/admin/teams', label: 'nav.teams', permission: 'departments.manage', testId: 'nav-teams' },
  { path: '/admin/audit-log', label: 'nav.audit', permission: 'audit.view', testId: 'nav-audit' },
  { path: '/admin/ticket-types', label: 'nav.ticketTypes', permission: 'settings.manage', testId: 'nav-ticket-types' },
  { path: '/admin/ticket-fields', label: 'nav.ticketFields', permission: 'settings.manage', testId: 'nav-ticket-fields' },
  { path: '/admin/routing', label: 'nav.routing', permission: 'departments.manage', testId: 'nav-routing' },
  { path: '/admin/business-hours', label: 'nav.businessHours', permission: 'settings.manage', testId: 'nav-business-hours' },
  { path: '/admin/sla', label: 'nav.sla', permission: 'settings.manage', testId: 'nav-sla' },
  { path: '/admin/automation', label: 'nav.automation', permission: 'settings.manage', testId: 'nav-automation' },
  { path: '/admin/mailboxes', label: 'nav.mailboxes', permission: 'settings.manage', testId: 'nav-mailboxes' },
  { path: '/admin/live-chat', label: 'nav.liveChatSettings', permission: 'settings.manage', testId: 'nav-live-chat-settings' },
  { path: '/admin/outbox', label: 'nav.outbox', permission: 'outbox.view', testId: 'nav-outbox' },
];
