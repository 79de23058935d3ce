import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONFIDENCE_MODEL, DEFAULT_ROBOT_THRESHOLDS, checkThresholds, confidenceOf, decideRobotReply, isHumanRequest, type RobotDecision, type RobotHit,
} from './robot-decision.ts';

const hit = (articleId: string, score: number, coverage = 1): RobotHit => ({ articleId, title: articleId, score, coverage });
const T = { answer: 0.6, suggest: 0.3, floor: 0.2 };

// A clear match: a high score far ahead of the second. A close race: two entries alike. A weak one: a word or two in common.
const CLEAR = [hit('a', 1.3), hit('b', 0.5), hit('c', 0.4)];
const RACE = [hit('a', 0.9, 0.8), hit('b', 0.85, 0.8), hit('c', 0.8, 0.7), hit('d', 0.7)];
const WEAK = [hit('a', 0.45, 0.4), hit('b', 0.42, 0.4)];
const NOTHING: RobotHit[] = [];

describe('confidenceOf', () => {
  it('is 0 without hits and within 0…1 otherwise', () => {
    assert.equal(confidenceOf(NOTHING), 0);
    for (const hits of [CLEAR, RACE, WEAK, [hit('x', 5)], [hit('x', 0, 0)]]) {
      const c = confidenceOf(hits);
      assert.ok(c >= 0 && c <= 1, `${c}`);
    }
  });
  it('grows with the margin over the second hit, the score and the coverage', () => {
    assert.ok(confidenceOf([hit('a', 1), hit('b', 0.3)]) > confidenceOf([hit('a', 1), hit('b', 0.9)]));
    assert.ok(confidenceOf([hit('a', 1.2), hit('b', 0.6)]) > confidenceOf([hit('a', 0.8), hit('b', 0.2)]));
    assert.ok(confidenceOf([hit('a', 1, 1), hit('b', 0.5)]) > confidenceOf([hit('a', 1, 0.3), hit('b', 0.5)]));
    assert.ok(CONFIDENCE_MODEL.margin > 0 && CONFIDENCE_MODEL.score > 0 && CONFIDENCE_MODEL.coverage > 0);
  });
  it('a lone hit counts its whole score as margin', () => {
    assert.ok(confidenceOf([hit('a', 0.8)]) > confidenceOf([hit('a', 0.8), hit('b', 0.7)]));
  });
});

describe('decideRobotReply', () => {
  const cases: Array<[string, string, RobotHit[], number, RobotDecision['kind'], Partial<Record<string, unknown>>?]> = [
    ['a clear match answers with the top article', 'how do I reset my password', CLEAR, 0, 'answer', { articleId: 'a' }],
    ['a close race offers the top 3', 'card problem', RACE, 0, 'suggest', { articleIds: ['a', 'b', 'c'] }],
    ['nothing found: ask to rephrase first', 'asdfgh', NOTHING, 0, 'handover'],
    ['a weak match asks to rephrase once', 'something about money', WEAK, 0, 'rephrase'],
    ['a weak match after a miss hands over', 'something else about money', WEAK, 1, 'handover', { reason: 'not_understood' }],
    ['转人工 hands over even with a clear match', '转人工', CLEAR, 0, 'handover', { reason: 'asked' }],
    ['"human" hands over', 'human', CLEAR, 0, 'handover', { reason: 'asked' }],
    ['"I want to talk to an agent" hands over', 'I want to talk to an agent', RACE, 0, 'handover', { reason: 'asked' }],
  ];
  for (const [name, text, hits, misses, kind, more] of cases) {
    it(name, () => {
      const d = decideRobotReply({ text, hits, thresholds: T, misses });
      assert.equal(d.kind, kind, JSON.stringify(d));
      for (const [k, v] of Object.entries(more ?? {})) assert.deepEqual((d as Record<string, unknown>)[k], v);
    });
  }
  it('the thresholds move the bands', () => {
    const c = confidenceOf(RACE);
    assert.equal(decideRobotReply({ text: 'q', hits: RACE, thresholds: { answer: c, suggest: 0, floor: 0 }, misses: 0 }).kind, 'answer');
    assert.equal(decideRobotReply({ text: 'q', hits: RACE, thresholds: { answer: 1, suggest: 1, floor: c + 0.001 }, misses: 0 }).kind, 'handover');
    assert.equal(decideRobotReply({ text: 'q', hits: RACE, thresholds: { answer: 1, suggest: 1, floor: 0 }, misses: 0 }).kind, 'rephrase');
  });
  it('no hits below the floor is a low-confidence hand-over', () => {
    assert.deepEqual(decideRobotReply({ text: 'q', hits: NOTHING, thresholds: T, misses: 0 }), { kind: 'handover', reason: 'low_confidence', confidence: 0 });
  });
  it('suggestions are at most three', () => {
    const d = decideRobotReply({ text: 'q', hits: RACE, thresholds: { answer: 1, suggest: 0, floor: 0 }, misses: 0 });
    assert.equal(d.kind === 'suggest' && d.articleIds.length, 3);
  });
});

describe('isHumanRequest', () => {
  const yes = ['转人工', '转人工！', '人工', '人工客服', '我要人工服务', '找客服', '帮我转接人工', '真人', 'human', 'Human!', 'agent', 'an agent please', 'talk to a human', 'I want to speak to a person', 'connect me to an agent', 'representative', 'ＨＵＭＡＮ'];
  const no = ['', '   ', '人工智能是什么', '我的信用卡丢了怎么办', '我要人民币账户', '客服电话是多少', 'how do I become an insurance agent and what are the requirements', 'what is my balance', 'how long does human digestion take in the body of an adult', '你好'];
  for (const t of yes) it(`asks for a person: ${JSON.stringify(t)}`, () => assert.equal(isHumanRequest(t), true));
  for (const t of no) it(`does not: ${JSON.stringify(t)}`, () => assert.equal(isHumanRequest(t), false));
});

describe('checkThresholds', () => {
  const cases: Array<[string, typeof T, string | null]> = [
    ['the defaults are valid', DEFAULT_ROBOT_THRESHOLDS, null],
    ['equal thresholds are valid (no suggest or rephrase band)', { answer: 0.5, suggest: 0.5, floor: 0.5 }, null],
    ['floor above suggest', { answer: 0.6, suggest: 0.3, floor: 0.4 }, 'The hand-over floor cannot be above the suggest threshold'],
    ['suggest above answer', { answer: 0.3, suggest: 0.6, floor: 0.2 }, 'The suggest threshold cannot be above the answer threshold'],
    ['out of range', { answer: 1.2, suggest: 0.3, floor: 0.2 }, "The robot's answer threshold must be between 0 and 1"],
    ['not a number', { answer: Number.NaN, suggest: 0.3, floor: 0.2 }, "The robot's answer threshold must be between 0 and 1"],
  ];
  for (const [name, t, want] of cases) it(name, () => assert.equal(checkThresholds(t), want));
});
