/**
 * Device, OS and browser from the User-Agent, for the visitor card: small and ours, tuned to what
 * Chinese visitors use (WeChat, QQ, UC, Baidu, Quark, HarmonyOS …). Rules run most specific first,
 * because in-app browsers also claim to be Chrome and Safari. Pure and isomorphic.
 */

export type DeviceType = 'mobile' | 'tablet' | 'desktop' | 'bot';

export interface Device {
  type: DeviceType;
  os: { name: string; version: string | null } | null;
  browser: { name: string; version: string | null } | null;
}

type Rule = [name: string, pattern: RegExp];

// A crawler names itself (Googlebot/2.1, Bytespider;) and usually links its page (+http://…); a phone
// model such as CUBOT X19 does neither.
const BOT = /(?:bot|spider|crawler)(?:[/;)\-_]|\b[^()]*\+?https?:\/\/)|slurp|bingpreview|facebookexternalhit|mediapartners|^curl\/|^wget\/|python-requests|python-urllib|go-http-client|okhttp|^java\//i;

// Headless Chromium (Playwright, our own e2e) is a browser, not a bot: it stays Chrome.
const BROWSERS: Rule[] = [
  ['WeCom', /wxwork\/([\d.]+)/i], // 企业微信 also says MicroMessenger
  ['WeChat', /MicroMessenger\/([\d.]+)/i],
  ['DingTalk', /DingTalk\/([\d.]+)/i],
  ['Alipay', /AlipayClient\/([\d.]+)/i],
  ['Weibo', /__weibo__([\d.]+)|Weibo \(/i],
  ['Douyin', /aweme(?:_lite)?\/([\d.]+)/i],
  ['QQ Browser', /M?QQBrowser\/([\d.]+)/i],
  ['QQ', /\bQQ\/([\d.]+)/],
  ['Baidu', /baiduboxapp\/([\d.]+)|BIDUBrowser[ /]([\d.]+)|baidubrowser\/([\d.]+)/i],
  ['UC Browser', /UC ?Browser\/([\d.]+)|UBrowser\/([\d.]+)/i],
  ['Quark', /Quark\/([\d.]+)/i],
  ['Sogou Browser', /SogouMobileBrowser\/([\d.]+)|SE 2\.X MetaSr/i],
  ['360 Browser', /QihooBrowser\/([\d.]+)|QHBrowser\/([\d.]+)|360SE|360EE/i],
  ['Huawei Browser', /HuaweiBrowser\/([\d.]+)/i],
  ['Mi Browser', /MiuiBrowser\/([\d.]+)/i],
  ['vivo Browser', /VivoBrowser\/([\d.]+)/i],
  ['OPPO Browser', /HeyTapBrowser\/([\d.]+)|OppoBrowser\/([\d.]+)/i],
  ['Samsung Internet', /SamsungBrowser\/([\d.]+)/i],
  ['Edge', /Edg(?:e|A|iOS)?\/([\d.]+)/],
  ['Opera', /OPR\/([\d.]+)|Opera\/([\d.]+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/([\d.]+)/],
  ['Chrome', /(?:HeadlessChrome|Chrome|CriOS)\/([\d.]+)/],
  ['Safari', /Version\/([\d.]+).*Safari\//],
  ['Internet Explorer', /MSIE ([\d.]+)|Trident\/.*rv:([\d.]+)/],
];

const WINDOWS: Record<string, string> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7', '6.0': 'Vista', '5.1': 'XP' };

function detectOs(ua: string): Device['os'] {
  let m: RegExpExecArray | null;
  if ((m = /OpenHarmony ([\d.]+)/.exec(ua))) return { name: 'HarmonyOS', version: major(m[1], 2) };
  if ((m = /HarmonyOS(?:[ /;]+([\d.]+))?/i.exec(ua))) return { name: 'HarmonyOS', version: m[1] ? major(m[1], 2) : null };
  if ((m = /(?:iPhone|iPad|iPod).*? OS (\d+(?:_\d+)*)/.exec(ua))) return { name: 'iOS', version: major(m[1].replace(/_/g, '.'), 2) };
  if (/iPhone|iPad|iPod/.test(ua)) return { name: 'iOS', version: null };
  if ((m = /Android[ /]?([\d.]+)?/i.exec(ua))) return { name: 'Android', version: m[1] ? major(m[1], 2) : null };
  if ((m = /Windows NT ([\d.]+)/.exec(ua))) return { name: 'Windows', version: WINDOWS[m[1]] ?? m[1] };
  if (/Windows/.test(ua)) return { name: 'Windows', version: null };
  if ((m = /Mac OS X (\d+(?:[_.]\d+)*)/.exec(ua))) return { name: 'macOS', version: major(m[1].replace(/_/g, '.'), 2) };
  if (/Macintosh/.test(ua)) return { name: 'macOS', version: null };
  if (/CrOS/.test(ua)) return { name: 'ChromeOS', version: null };
  if (/Linux|X11/.test(ua)) return { name: 'Linux', version: null };
  return null;
}

function detectType(ua: string, os: Device['os']): DeviceType {
  if (/iPad|Tablet|Kindle|Silk\/|PlayBook|MatePad|HarmonyOS.*Pad/i.test(ua)) return 'tablet';
  if (/Mobile|iPhone|iPod|Windows Phone|Phone\b/i.test(ua)) return 'mobile';
  if (os?.name === 'Android' || os?.name === 'HarmonyOS') return 'tablet'; // Android without "Mobile" is a tablet
  return 'desktop';
}

function major(version: string, parts = 1): string {
  return version.split('.').slice(0, parts).join('.');
}

const UNKNOWN: Device = { type: 'desktop', os: null, browser: null };

export function parseUserAgent(userAgent: string | null | undefined): Device {
  const ua = (userAgent ?? '').slice(0, 512); // bounded work on hostile input
  if (!ua.trim()) return UNKNOWN;
  if (BOT.test(ua)) return { type: 'bot', os: null, browser: null };
  const os = detectOs(ua);
  let browser: Device['browser'] = null;
  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(ua);
    if (!m) continue;
    const v = m.slice(1).find(Boolean);
    browser = { name, version: v ? major(v) : null };
    break;
  }
  return { type: detectType(ua, os), os, browser };
}

/** One line for the visitor card: "iOS 17.1 · WeChat 8". */
export function describeDevice(d: Device): string {
  const part = (x: { name: string; version: string | null } | null) => (x ? [x.name, x.version].filter(Boolean).join(' ') : '');
  return [part(d.os), part(d.browser)].filter(Boolean).join(' · ');
}
