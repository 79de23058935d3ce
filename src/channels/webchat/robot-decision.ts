/**
 * What the chat robot does with one visitor message: a pure decision over the knowledge-base search
 * result (chat-robot.ts does the I/O around it).
 *
 *   asks for a person ("转人工", "human", "agent")           → hand over, whatever else
 *   confidence >= answer threshold                           → answer with the top article
 *   suggest threshold <= confidence < answer threshold       → offer the top 3 articles as choices
 *   hand-over floor <= confidence < suggest threshold        → ask to rephrase once; a second miss hands over
 *   confidence < hand-over floor                             → hand over ("let me get a person")
 */

export interface RobotThresholds {
  /** At or above: the top article answers. */
  answer: number;
  /** At or above (and below answer): the top 3 articles are offered. */
  suggest: number;
  /** Below: a person takes over at once. Between floor and suggest the robot asks to rephrase once. */
  floor: number;
}

/**
 * Defaults chosen on CLINC150 (bench/kb-search.ts --suite clinc): 150 FAQ entries of 10 training
 * examples each; the thresholds were picked on a calibration split (--fit: training examples 50–59 of
 * each intent, oos_train) and measured on held-out questions: 1,500 in scope (val, every 2nd) and the
 * 100 out-of-scope ones (oos_val). The robot's first reply there, with these thresholds:
 *   in scope:      answered correctly 45.2 %, answered wrongly 6.0 %, suggested 24.3 % (the right entry
 *                  among the 3 in 85 % of those), asked to rephrase 12.4 %, handed over 12.1 %
 *   out of scope:  handed over 69 %, asked to rephrase 17 %, suggested 10 %, answered (wrongly) 4 %
 * answer 0.6: above it, about 1 answer in 8 is wrong (a wrong answer costs more
 * than a suggestion); suggest 0.3: below it the top 3 hold the right entry less often than the
 * out-of-scope questions arrive; floor 0.2: between 0.2 and 0.3 one rephrasing is worth asking for.
 */
export const DEFAULT_ROBOT_THRESHOLDS: RobotThresholds = { answer: 0.6, suggest: 0.3, floor: 0.2 };

/** What the decision reads of one search hit (search.ts SearchHit). */
export interface RobotHit {
  articleId: string;
  title: string;
  /** rank.ts score: best question match plus small body, coverage and ts_rank terms (about 0…1.6). */
  score: number;
  /** Share of the query the article's questions account for, 0…1. */
  coverage: number;
}

/**
 * Logistic model of "the top hit is the right answer", fitted on CLINC150's calibration split
 * (training examples 50–59 of each intent plus oos_train, weighing 5 each; bench/kb-search.ts --suite
 * clinc --fit): a calibrated 0…1 from the top score, its margin over the second hit and the query
 * coverage. The margin says the most: an out-of-scope question tends to match several entries alike.
 */
export const CONFIDENCE_MODEL = { bias: -2.4, score: 1.78, margin: 8.47, coverage: 0.86 };

/** Features the confidence model reads (exported for the bench's fit). */
export function confidenceFeatures(hits: readonly RobotHit[]): { score: number; margin: number; coverage: number } | null {
  const top = hits[0];
  if (!top) return null;
  const second = hits[1]?.score ?? 0;
  return { score: top.score, margin: Math.max(0, top.score - second), coverage: top.coverage };
}

export function confidenceOf(hits: readonly RobotHit[], model = CONFIDENCE_MODEL): number {
  const f = confidenceFeatures(hits);
  if (!f) return 0;
  const z = model.bias + model.score * f.score + model.margin * f.margin + model.coverage * f.coverage;
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}

const HUMAN_ZH = /(转|找|要|换|叫)(接)?\s*(人工|真人|客服)|^人工(客服|服务|坐席)?$|人工(客服|服务|坐席)|真人|活人/;
const HUMAN_EN = /\b(human|agent|person|operator|representative|someone real|real people|live chat|customer service|staff)\b/i;
const HUMAN_EN_ALONE = /^(an? )?(human|agent|person|operator|representative)s?[.!?]*$/i;

/**
 * Does the visitor ask for a person? "转人工", "人工客服", "找客服", "human", "agent", "talk to a person".
 * English words count in a short message only (up to 8 words: "I want to talk to an agent"), so a
 * question about agents ("how do I change the agent on my insurance policy") still goes to the robot.
 */
export function isHumanRequest(text: string): boolean {
  const t = text.normalize('NFKC').trim().toLowerCase().replace(/[。！？!?.,，\s]+$/u, '');
  if (!t) return false;
  if (HUMAN_EN_ALONE.test(t)) return true;
  if (/[\u4e00-\u9fff]/u.test(t)) return t.length <= 12 && HUMAN_ZH.test(t);
  const words = t.split(/\s+/);
  return words.length <= 8 && HUMAN_EN.test(t) && /\b(talk|speak|chat|get|want|need|connect|transfer|give|human|agent|person|operator|representative)\b/.test(t);
}

export type HandoverReason = 'asked' | 'low_confidence' | 'not_understood';

export type RobotDecision =
  | { kind: 'answer'; articleId: string; confidence: number }
  | { kind: 'suggest'; articleIds: string[]; confidence: number }
  | { kind: 'rephrase'; confidence: number }
  | { kind: 'handover'; reason: HandoverReason; confidence: number };

export interface RobotInput {
  text: string;
  hits: readonly RobotHit[];
  thresholds: RobotThresholds;
  /** Earlier messages of this chat the robot could not place (asked to rephrase). */
  misses: number;
}

export const SUGGESTIONS = 3;

export function decideRobotReply(input: RobotInput, model = CONFIDENCE_MODEL): RobotDecision {
  if (isHumanRequest(input.text)) return { kind: 'handover', reason: 'asked', confidence: 0 };
  const confidence = confidenceOf(input.hits, model);
  const { answer, suggest, floor } = input.thresholds;
  if (input.hits.length && confidence >= answer) return { kind: 'answer', articleId: input.hits[0].articleId, confidence };
  if (input.hits.length && confidence >= suggest) return { kind: 'suggest', articleIds: input.hits.slice(0, SUGGESTIONS).map((h) => h.articleId), confidence };
  if (confidence >= floor && input.misses === 0) return { kind: 'rephrase', confidence };
  return { kind: 'handover', reason: confidence >= floor ? 'not_understood' : 'low_confidence', confidence };
}

/** Thresholds as an admin may set them: each within 0…1, floor <= suggest <= answer. Returns what is wrong, or null. */
export function checkThresholds(t: RobotThresholds): string | null {
  for (const [k, v] of Object.entries(t)) if (!(v >= 0 && v <= 1)) return `The robot's ${k} threshold must be between 0 and 1`;
  if (t.floor > t.suggest) return 'The hand-over floor cannot be above the suggest threshold';
  if (t.suggest > t.answer) return 'The suggest threshold cannot be above the answer threshold';
  return null;
}
