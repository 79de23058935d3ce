/** Every named permission a role can hold. Labels live here once: the admin UI and the API docs read them. */
export const PERMISSIONS = {
  'tickets.view_all': { zh: '查看全部工单', en: 'View all tickets' },
  'tickets.view_department': { zh: '查看本部门工单', en: "View my departments' tickets" },
  'tickets.assign': { zh: '分配工单给他人', en: 'Assign tickets to others' },
  'customers.view_contact': { zh: '查看客户联系方式', en: "See customers' contact details" },
  'kb.manage': { zh: '管理知识库', en: 'Manage the knowledge base' },
  'reports.view': { zh: '查看报表', en: 'View reports' },
  'settings.manage': { zh: '管理系统设置', en: 'Manage settings' },
  'staff.manage': { zh: '管理客服账号', en: 'Manage staff' },
  'roles.manage': { zh: '管理角色权限', en: 'Manage roles' },
  'departments.manage': { zh: '管理部门与团队', en: 'Manage departments and teams' },
  'audit.view': { zh: '查看操作日志', en: 'View the audit log' },
  'outbox.view': { zh: '查看发件箱', en: 'View the mail outbox' },
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/** Built-in roles every tenant starts with. Administrator always holds every permission. */
export const BUILTIN_ROLES = {
  admin: { zh: '管理员', en: 'Administrator', permissions: ALL_PERMISSIONS },
  agent: { zh: '客服', en: 'Agent', permissions: ['tickets.view_department'] as Permission[] },
} as const;
export type BuiltinRole = keyof typeof BUILTIN_ROLES;
