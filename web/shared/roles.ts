import { BUILTIN_ROLES, type BuiltinRole } from '../../src/contracts/permissions.ts';
import type { Locale } from './types.ts';

/**
 * A role's name to show. Built-in roles are named in the company's language when it is created
 * (管理员 / Administrator); while they keep that default name, show it in the UI language instead.
 * A renamed role shows its new name as typed.
 */
export function roleLabel(role: { name: string; builtin: string | null }, lang: Locale): string {
  const defaults = role.builtin && role.builtin in BUILTIN_ROLES ? BUILTIN_ROLES[role.builtin as BuiltinRole] : null;
  if (defaults && (role.name === defaults.zh || role.name === defaults.en)) return lang === 'en' ? defaults.en : defaults.zh;
  return role.name;
}
