/**
 * Where a visitor is, from their IP address, offline: ip2region's database (shipped with the package)
 * read once into memory and searched synchronously (a binary search, microseconds per lookup), so
 * routing a new chat never waits on a network service.
 */
import { BlockList, isIP } from 'node:net';
import { createRequire } from 'node:module';
import { normalizeCity, normalizeProvince } from './region-names.ts';

export interface IpRegion {
  /** As the database writes it (中国, 美国); null when unknown. */
  country: string | null;
  /** Normalized (浙江, 广西, 上海): see region-names.ts. */
  province: string | null;
  /** Normalized (宁波, 延边). */
  city: string | null;
  /** 电信, 联通, 阿里云 … */
  isp: string | null;
}

export const UNKNOWN_REGION: IpRegion = Object.freeze({ country: null, province: null, city: null, isp: null });

interface V4Searcher { search(ip: string): { country: string; province: string; city: string; isp: string } | null }
interface V6Searcher { search(ip: string): { country: string; province: string; city: string; isp: string } | null; setIpv4Ins(v4: unknown): void }
type Ctor<T> = { default: new (dbPath?: string) => T };

const require = createRequire(import.meta.url);
let v4: V4Searcher | undefined;
let v6: V6Searcher | null | undefined;

// The searcher classes are loaded directly: the package's default entry also reads the IPv6 database,
// which most deployments never need; it is loaded on the first IPv6 visitor instead.
function ipv4Searcher(): V4Searcher {
  v4 ??= new (require('ip2region/dist/lib/ipv4.js') as Ctor<V4Searcher>).default();
  return v4;
}
function ipv6Searcher(): V6Searcher | null {
  if (v6 === undefined) {
    try {
      v6 = new (require('ip2region/dist/lib/ipv6.js') as Ctor<V6Searcher>).default();
      v6.setIpv4Ins(ipv4Searcher());
    } catch {
      v6 = null; // IPv6 database missing from this install: IPv6 visitors stay unknown
    }
  }
  return v6;
}

/** Load the databases now (at startup) rather than on the first visitor (a few ms of synchronous reading). */
export function preloadRegionDb(opts: { ipv6?: boolean } = {}): void {
  ipv4Searcher();
  if (opts.ipv6) ipv6Searcher();
}

// Addresses that say nothing about where a person is: private networks, loopback, link-local, CGNAT,
// documentation and multicast ranges. The database answers 内网IP for some of these but not all.
const NOWHERE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3]] as const) {
  NOWHERE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const) {
  NOWHERE.addSubnet(net, bits, 'ipv6');
}

/** IPv4-mapped IPv6 (::ffff:1.2.3.4, what a dual-stack server reports for IPv4 clients) → the IPv4 address. */
export function unmapIp(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip.trim());
  return m ? m[1] : ip.trim();
}

/**
 * IP → country, province, city and ISP. Private, loopback and malformed addresses are unknown (all null).
 * IPv6 is looked up in the package's ipv6wry database, which often knows only the province.
 */
export function lookupRegion(rawIp: string | null | undefined): IpRegion {
  if (!rawIp) return UNKNOWN_REGION;
  const ip = unmapIp(rawIp);
  const family = isIP(ip);
  if (family === 0) return UNKNOWN_REGION;
  if (NOWHERE.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return UNKNOWN_REGION;
  const searcher = family === 4 ? ipv4Searcher() : ipv6Searcher();
  const hit = searcher?.search(ip);
  if (!hit) return UNKNOWN_REGION;
  const field = (s: string) => (!s || s === '0' || s.includes('内网') || s.includes('保留') || s === '未知' ? null : s);
  const region: IpRegion = {
    country: field(hit.country),
    province: field(normalizeProvince(hit.province)),
    city: field(normalizeCity(hit.city)),
    isp: field(hit.isp),
  };
  return region.country || region.province || region.city || region.isp ? region : UNKNOWN_REGION;
}
