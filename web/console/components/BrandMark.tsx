import { BRAND } from '../theme.ts';

/** The Kefu logo: a speech bubble in a rounded square. */
export function BrandMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill={BRAND.primary} />
      <path d="M9 10.5h14a1.5 1.5 0 0 1 1.5 1.5v8a1.5 1.5 0 0 1-1.5 1.5h-7l-5 4v-4H9A1.5 1.5 0 0 1 7.5 20v-8A1.5 1.5 0 0 1 9 10.5z" fill="#fff" />
      <circle cx="12.5" cy="16" r="1.3" fill={BRAND.primary} />
      <circle cx="16" cy="16" r="1.3" fill={BRAND.primary} />
      <circle cx="19.5" cy="16" r="1.3" fill={BRAND.primary} />
    </svg>
  );
}
