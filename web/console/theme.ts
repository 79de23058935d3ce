import type { ThemeConfig } from 'antd';

export const BRAND = {
  primary: '#2f6bff',
  navy: '#0e1a3a',
  navyLight: '#16264f',
};

export const FONT_FAMILY = [
  '-apple-system', 'BlinkMacSystemFont', "'Segoe UI'", "'PingFang SC'", "'Hiragino Sans GB'", "'Microsoft YaHei'",
  "'WenQuanYi Micro Hei'", "'Helvetica Neue'", 'Arial', 'sans-serif',
].join(', ');

/** Whoever asks their system for less motion (prefers-reduced-motion) gets drawers, menus and messages without animation. */
const REDUCED_MOTION = typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export const theme: ThemeConfig = {
  token: {
    motion: !REDUCED_MOTION,
    colorPrimary: BRAND.primary,
    colorInfo: BRAND.primary,
    borderRadius: 8,
    fontFamily: FONT_FAMILY,
    colorBgLayout: '#f3f5f9',
  },
  components: {
    Layout: { siderBg: BRAND.navy, headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 24px' },
    Menu: {
      darkItemBg: BRAND.navy,
      darkSubMenuItemBg: BRAND.navy,
      darkItemSelectedBg: BRAND.primary,
      darkGroupTitleColor: 'rgba(255,255,255,0.45)',
      itemBorderRadius: 6,
    },
    Table: { headerBg: '#f7f8fb' },
    Card: { headerFontSize: 15 },
  },
};
