/**
 * Error codes the API answers with, each with zh-CN and en text. Services throw AppError(code);
 * the error handler renders the message in the caller's language.
 */
export const ERRORS = {
  not_found: { status: 404, zh: '找不到该资源', en: 'Not found' },
  forbidden: { status: 403, zh: '没有权限执行此操作', en: 'You do not have permission to do this' },
  unauthenticated: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  csrf: { status: 403, zh: '请求缺少有效的 CSRF 令牌，请刷新页面后重试', en: 'Missing or invalid CSRF token: reload the page and try again' },
  validation: { status: 400, zh: '请求参数不正确', en: 'The request is not valid' },
  bad_json: { status: 400, zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  too_large: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  unsupported_media: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  rate_limited: { status: 429, zh: '尝试次数过多，请稍后再试', en: 'Too many attempts: try again later' },
  bad_credentials: { status: 401, zh: '邮箱或密码错误', en: 'Wrong email or password' },
  account_disabled: { status: 403, zh: '该账号已停用', en: 'This account is disabled' },
  tenant_unknown: { status: 404, zh: '找不到该公司，请检查访问地址', en: 'No company at this address: check the URL' },
  email_taken: { status: 409, zh: '该邮箱已被使用', en: 'This email address is already in use' },
  name_taken: { status: 409, zh: '该名称已存在', en: 'This name is already in use' },
  slug_taken: { status: 409, zh: '该公司标识已被使用', en: 'This company identifier is already in use' },
  token_invalid: { status: 400, zh: '链接无效或已过期', en: 'This link is invalid or has expired' },
  wrong_password: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  builtin_role: { status: 409, zh: '内置角色不能删除或修改权限', en: 'Built-in roles cannot be deleted or have their permissions changed' },
  role_in_use: { status: 409, zh: '仍有账号使用该角色，无法删除', en: 'Staff still hold this role: it cannot be deleted' },
  department_cycle: { status: 409, zh: '不能把部门移动到它自己的下级', en: 'A department cannot be moved under itself' },
  department_not_empty: { status: 409, zh: '部门下还有子部门，无法删除', en: 'This department still has sub-departments' },
  kb_category_not_empty: { status: 409, zh: '该分类下还有子分类，无法删除', en: 'This category still has sub-categories' },
  kb_category_cycle: { status: 409, zh: '不能把分类移动到它自己的下级', en: 'A category cannot be moved under itself' },
  last_admin: { status: 409, zh: '至少需要保留一个可用的管理员', en: 'At least one active administrator must remain' },
  self_action: { status: 409, zh: '不能对自己的账号执行此操作', en: 'You cannot do this to your own account' },
  not_retryable: { status: 409, zh: '只能重发发送失败的邮件', en: 'Only a failed mail can be sent again' },
  internal: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** A detail written in both languages, for messages built from data that has both (admin-defined labels). */
export interface LocalizedText { zh: string; en: string }

export class AppError extends Error {
  readonly statusCode: number;
  constructor(readonly code: ErrorCode, readonly detail?: string | LocalizedText) {
    super(typeof detail === 'string' ? detail : detail?.en ?? ERRORS[code].en);
    this.statusCode = ERRORS[code].status;
  }
}

export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');
