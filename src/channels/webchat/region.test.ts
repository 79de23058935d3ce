import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { lookupRegion, unmapIp, UNKNOWN_REGION, type IpRegion } from './region.ts';
import { normalizeCity, normalizeProvince } from './region-names.ts';

const r = (country: string | null, province: string | null, city: string | null, isp: string | null): IpRegion => ({ country, province, city, isp });

describe('lookupRegion (ip2region, offline)', () => {
  const cases: Array<[string, IpRegion]> = [
    ['223.5.5.5', r('中国', '浙江', '杭州', '阿里云')],
    ['218.0.0.1', r('中国', '浙江', '宁波', '电信')],
    ['36.16.0.1', r('中国', '浙江', '宁波', '电信')],
    ['202.96.209.133', r('中国', '上海', '上海', '电信')], // a municipality: province and city are one name
    ['114.114.114.114', r('中国', '江苏', '南京', null)],
    ['8.8.8.8', r('美国', null, null, 'Level3')],
    ['::ffff:223.5.5.5', r('中国', '浙江', '杭州', '阿里云')], // how a dual-stack server sees an IPv4 client
    ['  223.5.5.5 ', r('中国', '浙江', '杭州', '阿里云')],
    ['240e:47d:c20:1627:30a3:ba0d:a5e6:ec19', r('中国', '广东', '广州', '中国电信CTNET网络')],
    // nowhere: private, loopback, link-local, CGNAT, documentation, unspecified, broadcast, malformed
    ['127.0.0.1', UNKNOWN_REGION], ['10.1.2.3', UNKNOWN_REGION], ['172.16.5.4', UNKNOWN_REGION], ['192.168.1.1', UNKNOWN_REGION],
    ['169.254.1.1', UNKNOWN_REGION], ['100.64.0.1', UNKNOWN_REGION], ['192.0.2.10', UNKNOWN_REGION], ['0.0.0.0', UNKNOWN_REGION],
    ['255.255.255.255', UNKNOWN_REGION], ['::1', UNKNOWN_REGION], ['::', UNKNOWN_REGION], ['fe80::1', UNKNOWN_REGION], ['fd00::1', UNKNOWN_REGION],
    ['::ffff:192.168.0.1', UNKNOWN_REGION], ['2001:db8::1', UNKNOWN_REGION],
    ['', UNKNOWN_REGION], ['localhost', UNKNOWN_REGION], ['999.1.1.1', UNKNOWN_REGION], ['1.2.3', UNKNOWN_REGION], ['223.5.5.5; drop table', UNKNOWN_REGION],
  ];
  for (const [ip, expected] of cases) it(`${JSON.stringify(ip)} → ${[expected.province, expected.city].join(' ') || 'unknown'}`, () => assert.deepEqual(lookupRegion(ip), expected));

  it('null and undefined are unknown', () => {
    assert.deepEqual(lookupRegion(null), UNKNOWN_REGION);
    assert.deepEqual(lookupRegion(undefined), UNKNOWN_REGION);
  });

  it('reads its database once, never per visitor (it runs on every new visitor)', (t) => {
    lookupRegion('223.5.5.5');
    const reads = t.mock.method(fs, 'readFileSync');
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) lookupRegion(`${1 + (i % 222)}.${i % 256}.${(i * 7) % 256}.1`);
    t.diagnostic(`${((performance.now() - t0) / 20).toFixed(1)} µs per lookup (not asserted: tests do not time)`);
    assert.equal(reads.mock.callCount(), 0);
  });
});

describe('unmapIp', () => {
  for (const [input, out] of [['::ffff:1.2.3.4', '1.2.3.4'], ['::FFFF:1.2.3.4', '1.2.3.4'], ['1.2.3.4', '1.2.3.4'], ['2408:8000::1', '2408:8000::1']]) {
    it(`${input} → ${out}`, () => assert.equal(unmapIp(input), out));
  }
});

describe('normalizeProvince / normalizeCity', () => {
  const provinces: Array<[string, string]> = [
    ['浙江省', '浙江'], ['浙江', '浙江'], [' 浙江省 ', '浙江'], ['上海市', '上海'], ['上海', '上海'], ['北京市', '北京'],
    ['广西壮族自治区', '广西'], ['宁夏回族自治区', '宁夏'], ['新疆维吾尔自治区', '新疆'], ['内蒙古自治区', '内蒙古'], ['内蒙古', '内蒙古'],
    ['西藏自治区', '西藏'], ['香港特别行政区', '香港'], ['澳门特别行政区', '澳门'], ['台湾省', '台湾'], ['黑龙江省', '黑龙江'],
    ['0', ''], ['', ''],
  ];
  for (const [input, out] of provinces) it(`province ${JSON.stringify(input)} → ${JSON.stringify(out)}`, () => assert.equal(normalizeProvince(input), out));
  const cities: Array<[string, string]> = [
    ['宁波市', '宁波'], ['宁波', '宁波'], ['杭州市', '杭州'], ['延边朝鲜族自治州', '延边'], ['延边', '延边'],
    ['黔东南苗族侗族自治州', '黔东南'], ['海西蒙古族藏族自治州', '海西'], ['巴音郭楞蒙古自治州', '巴音郭楞'], ['克孜勒苏柯尔克孜自治州', '克孜勒苏'],
    ['伊犁哈萨克自治州', '伊犁'], ['大理白族自治州', '大理'], ['湘西土家族苗族自治州', '湘西'], ['阿里地区', '阿里'], ['大兴安岭地区', '大兴安岭'],
    ['兴安盟', '兴安'], ['锡林郭勒盟', '锡林郭勒'], ['新竹县', '新竹县'], ['新竹市', '新竹'], ['上海市', '上海'], ['0', ''],
  ];
  for (const [input, out] of cities) it(`city ${JSON.stringify(input)} → ${JSON.stringify(out)}`, () => assert.equal(normalizeCity(input), out));

  it('every province and city the database names normalizes to a short name', () => {
    // Read the database's region strings (城市Id|国家|区域|省份|城市|ISP) straight from the file.
    const db = fs.readFileSync(createRequire(import.meta.url).resolve('ip2region/data/ip2region.db'));
    const first = db.readUInt32LE(0), last = db.readUInt32LE(4);
    const provinces = new Set<string>(), cities = new Set<string>();
    for (let p = first; p <= last; p += 12) {
      const ptr = db.readUInt32LE(p + 8);
      const off = ptr & 0xffffff;
      const [country, , province, city] = db.toString('utf8', off + 4, off + ((ptr >>> 24) & 0xff)).split('|');
      if (country !== '中国') continue;
      provinces.add(normalizeProvince(province));
      cities.add(normalizeCity(city));
    }
    const SHORT = ['北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南', '湖北', '湖南',
      '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '内蒙古', '广西', '西藏', '宁夏', '新疆', '香港', '澳门', ''];
    assert.deepEqual([...provinces].filter((p) => !SHORT.includes(p)), []);
    assert.ok(provinces.size >= 34, `only ${provinces.size} provinces`);
    assert.deepEqual([...cities].filter((c) => /(市|自治州|地区|盟)$/.test(c)), []);
    assert.ok(cities.has('宁波') && cities.has('延边') && cities.has('阿里'));
  });
});
