/**
 * Chinese region names in one spelling, so that a strategy written as 浙江省 / 宁波市 matches a visitor
 * the IP database calls 浙江 / 宁波 and the other way round. Pure and isomorphic: the admin UI can show
 * the same normalized names it will be matched on.
 */

// Ethnic groups named in the 30 autonomous prefectures' official names (延边朝鲜族自治州, 巴音郭楞蒙古自治州 …).
const ETHNIC = /(?:朝鲜|苗|侗|布依|土家|藏|羌|彝|回|蒙古|哈萨克|柯尔克孜|傣|景颇|哈尼|白|傈僳|壮|维吾尔|纳西|黎|瑶|水|畲|满)族?$/;

/** 浙江省 → 浙江, 广西壮族自治区 → 广西, 香港特别行政区 → 香港, 上海市 → 上海. */
export function normalizeProvince(name: string | null | undefined): string {
  let s = clean(name);
  if (!s) return '';
  s = s.replace(/特别行政区$/, '').replace(/自治区$/, '');
  if (s !== clean(name)) s = stripEthnic(s); // only the autonomous regions carry an ethnic group
  s = s.replace(/[省市]$/, '');
  return s;
}

/** 宁波市 → 宁波, 延边朝鲜族自治州 → 延边, 阿里地区 → 阿里, 兴安盟 → 兴安; counties (县) keep their suffix (新竹县 ≠ 新竹市). */
export function normalizeCity(name: string | null | undefined): string {
  let s = clean(name);
  if (!s) return '';
  if (s.endsWith('自治州')) return stripEthnic(s.slice(0, -3));
  if (s.length > 2 && s.endsWith('地区')) return s.slice(0, -2);
  if (s.length > 2 && /[市盟]$/.test(s)) return s.slice(0, -1);
  return s;
}

function stripEthnic(s: string): string {
  // 黔东南苗族侗族 → 黔东南: strip groups from the end while a place name of two characters or more remains.
  for (;;) {
    const m = ETHNIC.exec(s);
    if (!m || s.length - m[0].length < 2) return s;
    s = s.slice(0, -m[0].length);
  }
}

function clean(name: string | null | undefined): string {
  const s = (name ?? '').trim().replace(/\s+/g, '');
  return s === '0' ? '' : s; // ip2region writes 0 for an unknown field
}
