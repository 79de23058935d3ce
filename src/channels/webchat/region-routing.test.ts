import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideRoutingScope, inScope, regionMatches, type RegionStrategy, type RoutingInput, type RoutingScope } from './region-routing.ts';
import { lookupRegion } from './region.ts';

const zhejiang: RegionStrategy = { id: 's-zj', name: '浙江', regions: [{ province: '浙江省' }], departmentIds: ['d-zj', 'd-shared'], priority: 2 };
const ningbo: RegionStrategy = { id: 's-nb', name: '宁波', regions: [{ province: '浙江', city: '宁波市' }], departmentIds: ['d-nb', 'd-shared'], priority: 1 };
const jiangnan: RegionStrategy = { id: 's-jn', name: '江南', regions: [{ province: '江苏省', city: '苏州' }, { province: '上海市' }], departmentIds: ['d-jn'], priority: 3 };
const hangzhou: RegionStrategy = { id: 's-hz', name: '杭州', regions: [{ province: '浙江', city: '杭州' }], departmentIds: ['d-hz'], priority: 1 };
const ALL = [zhejiang, ningbo, jiangnan, hangzhou];
const NINGBO = { province: '浙江', city: '宁波' };
const designated = { agentIds: ['u-7'], departmentIds: ['d-sales'] };
const none = { agentIds: [], departmentIds: [] };

const region = (strategies: Array<{ id: string; name: string }>, departmentIds: string[]): RoutingScope => ({ source: 'region', strategies, departmentIds, agentIds: [] });

describe('decideRoutingScope', () => {
  const cases: Array<[string, RoutingInput, RoutingScope]> = [
    ['宁波 matches the 浙江 and 宁波 strategies: departments merged in priority order, deduped',
      { region: NINGBO, strategies: ALL, designated }, region([{ id: 's-nb', name: '宁波' }, { id: 's-zj', name: '浙江' }], ['d-nb', 'd-shared', 'd-zj'])],
    ['杭州 matches 杭州 and 浙江 but not 宁波',
      { region: { province: '浙江', city: '杭州' }, strategies: ALL, designated }, region([{ id: 's-hz', name: '杭州' }, { id: 's-zj', name: '浙江' }], ['d-hz', 'd-zj', 'd-shared'])],
    ['a 浙江 city without its own strategy gets the province strategy only',
      { region: { province: '浙江', city: '温州' }, strategies: ALL, designated }, region([{ id: 's-zj', name: '浙江' }], ['d-zj', 'd-shared'])],
    ['a strategy with several regions matches any of them (上海 by province)',
      { region: { province: '上海', city: '上海' }, strategies: ALL, designated }, region([{ id: 's-jn', name: '江南' }], ['d-jn'])],
    ['the same strategy: 苏州 matches, 南京 does not',
      { region: { province: '江苏', city: '南京' }, strategies: ALL, designated }, { source: 'designated', strategies: [], departmentIds: ['d-sales'], agentIds: ['u-7'] }],
    ['a strategy city with a province but visitor city unknown: the city-specific strategy does not match',
      { region: { province: '浙江', city: null }, strategies: ALL, designated }, region([{ id: 's-zj', name: '浙江' }], ['d-zj', 'd-shared'])],
    ['names written in full on the visitor side match too',
      { region: { province: '浙江省', city: '宁波市' }, strategies: [ningbo], designated }, region([{ id: 's-nb', name: '宁波' }], ['d-nb', 'd-shared'])],
    ['region routing takes priority over designated agents',
      { region: NINGBO, strategies: [zhejiang], designated }, region([{ id: 's-zj', name: '浙江' }], ['d-zj', 'd-shared'])],
    ['no match → the designated agents and departments',
      { region: { province: '广东', city: '深圳' }, strategies: ALL, designated }, { source: 'designated', strategies: [], departmentIds: ['d-sales'], agentIds: ['u-7'] }],
    ['unknown region → designated',
      { region: { province: null, city: null }, strategies: ALL, designated }, { source: 'designated', strategies: [], departmentIds: ['d-sales'], agentIds: ['u-7'] }],
    ['no match and nothing designated → the whole company',
      { region: { province: '广东', city: '深圳' }, strategies: ALL, designated: none }, { source: 'company', strategies: [], departmentIds: [], agentIds: [] }],
    ['no strategies at all → designated',
      { region: NINGBO, strategies: [], designated }, { source: 'designated', strategies: [], departmentIds: ['d-sales'], agentIds: ['u-7'] }],
    ['a disabled strategy does not match',
      { region: NINGBO, strategies: [{ ...ningbo, enabled: false }, zhejiang], designated }, region([{ id: 's-zj', name: '浙江' }], ['d-zj', 'd-shared'])],
    ['equal priority → by name, so the order is stable',
      { region: NINGBO, strategies: [{ ...zhejiang, priority: 1 }, { ...ningbo, name: '甬' }], designated },
      region([{ id: 's-nb', name: '甬' }, { id: 's-zj', name: '浙江' }], ['d-nb', 'd-shared', 'd-zj'])],
    ['deleted departments are dropped from a strategy',
      { region: NINGBO, strategies: [zhejiang, ningbo], designated, existingDepartmentIds: new Set(['d-zj', 'd-sales']) }, region([{ id: 's-zj', name: '浙江' }], ['d-zj'])],
    ['a strategy keeps only its departments that still exist',
      { region: NINGBO, strategies: [ningbo], designated, existingDepartmentIds: new Set(['d-zj', 'd-shared', 'd-sales']) }, region([{ id: 's-nb', name: '宁波' }], ['d-shared'])],
    ['a strategy whose departments are all deleted does not capture the visitor: designated',
      { region: NINGBO, strategies: [ningbo], designated, existingDepartmentIds: new Set(['d-sales']) }, { source: 'designated', strategies: [], departmentIds: ['d-sales'], agentIds: ['u-7'] }],
    ['designated duplicates are dropped; designated agents only',
      { region: NINGBO, strategies: [], designated: { agentIds: ['u-1', 'u-1', 'u-2'], departmentIds: [] } }, { source: 'designated', strategies: [], departmentIds: [], agentIds: ['u-1', 'u-2'] }],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.deepEqual(decideRoutingScope(input), expected));

  it('a real 宁波 IP routes through the 浙江 and 宁波 strategies merged', () => {
    const scope = decideRoutingScope({ region: lookupRegion('218.0.0.1'), strategies: ALL, designated });
    assert.deepEqual(scope, region([{ id: 's-nb', name: '宁波' }, { id: 's-zj', name: '浙江' }], ['d-nb', 'd-shared', 'd-zj']));
  });
});

describe('regionMatches', () => {
  const cases: Array<[string, RegionStrategy['regions'], RoutingInput['region'], boolean]> = [
    ['province only', [{ province: '浙江' }], { province: '浙江', city: '宁波' }, true],
    ['province and city', [{ province: '浙江', city: '宁波' }], { province: '浙江', city: '宁波' }, true],
    ['same city name, other province', [{ province: '吉林', city: '吉林' }], { province: '浙江', city: '吉林' }, false],
    ['empty city string means the whole province', [{ province: '浙江', city: '' }], { province: '浙江', city: '宁波' }, true],
    ['autonomous prefecture written in full', [{ province: '吉林省', city: '延边朝鲜族自治州' }], { province: '吉林', city: '延边' }, true],
    ['autonomous region written in full', [{ province: '广西壮族自治区' }], { province: '广西', city: '南宁' }, true],
    ['no regions never matches', [], { province: '浙江', city: '宁波' }, false],
    ['unknown visitor never matches', [{ province: '浙江' }], { province: null, city: null }, false],
  ];
  for (const [name, regions, visitor, expected] of cases) {
    it(name, () => assert.equal(regionMatches({ id: 's', name: 's', regions, departmentIds: ['d'], priority: 1 }, visitor), expected));
  }
});

describe('inScope', () => {
  const cases: Array<[string, Parameters<typeof inScope>, boolean]> = [
    ['company: everyone', [{ source: 'company', departmentIds: [], agentIds: [] }, 'u-1', []], true],
    ['a member of a scope department', [{ source: 'region', departmentIds: ['d-1', 'd-2'], agentIds: [] }, 'u-1', ['d-9', 'd-2']], true],
    ['not a member', [{ source: 'region', departmentIds: ['d-1'], agentIds: [] }, 'u-1', ['d-9']], false],
    ['a designated agent outside the departments', [{ source: 'designated', departmentIds: ['d-1'], agentIds: ['u-1'] }, 'u-1', []], true],
    ['designated agents only, someone else', [{ source: 'designated', departmentIds: [], agentIds: ['u-1'] }, 'u-2', ['d-1']], false],
  ];
  for (const [name, args, expected] of cases) it(name, () => assert.equal(inScope(...args), expected));
});
