/**
 * Scores an agent's report against a scenario's ground truth, automatically
 * and explainably: +1 right service (aliases accepted), +1 right evidence (a
 * metric, log event or span of the ground truth cited), +1 right
 * remediation, −1 or −2 per listed misattribution; every point carries the
 * sentence that earned or lost it. A sentence that denies a claim ("not a
 * crash", "rules out a partition") does not count as making it. For the
 * no-fault control: +1 for saying nothing is wrong, −2 for naming a root
 * cause. A hallucination check runs over every report.
 */
import { CMS_SERVICES, type ServiceName } from '../model/services';
import type { ScenarioSpec } from '../scenarios/types';
import type { AgentResult } from './agent-result';
import type { TelemetryCatalogue } from './catalogue';
import { type Fabrication, findFabrications } from './hallucination';

export type RubricRule = 'service' | 'evidence' | 'remediation' | 'misattribution' | 'no-fault' | 'false-positive';

export interface ScorePoint {
  readonly rule: RubricRule;
  /** Points this line adds (negative for penalties; 0 when not earned). */
  readonly points: number;
  /** Why, in one sentence. */
  readonly why: string;
  /** The sentence of the report that earned or lost it. */
  readonly sentence?: string;
}

export interface Score {
  readonly truth: string;
  readonly total: number;
  readonly max: number;
  readonly outputStatus: AgentResult['status'];
  readonly points: readonly ScorePoint[];
  /** Whether the report names the fault category (reported, not scored). */
  readonly categoryNamed: boolean;
  /** Every ground-truth evidence signal the report cites. */
  readonly citedEvidence: readonly string[];
  readonly fabrications: readonly Fabrication[];
}

/** Report text split into sentences (lines first, so markdown structure never joins two claims). */
export function sentences(text: string): string[] {
  return text
    .replace(/https?:\/\/\S+/g, ' ')
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z`*"'(#-])/))
    .map((s) => s.trim())
    .filter(Boolean);
}

const NEGATION = /\b(not|no|never|isn't|wasn't|aren't|weren't|doesn't|didn't|rather than|instead of|ruled? out|rules out|unlike|excluded?|excludes|neither|nor|unrelated)\b/i;

/** The first sentence matching one of `patterns` whose match is not preceded by a negation in that sentence. */
export function assertingSentence(texts: readonly string[], patterns: readonly string[]): { sentence: string; denied: string[] } | { sentence?: undefined; denied: string[] } {
  const denied: string[] = [];
  for (const sentence of texts) {
    for (const source of patterns) {
      const match = new RegExp(source, 'i').exec(sentence);
      if (!match) continue;
      if (NEGATION.test(sentence.slice(0, match.index + match[0].length))) {
        denied.push(sentence);
        continue;
      }
      return { sentence, denied };
    }
  }
  return { denied };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Names by which a report may refer to each service. */
export function serviceAliases(truth?: ScenarioSpec): Map<ServiceName, string[]> {
  const aliases = new Map<ServiceName, string[]>();
  for (const s of CMS_SERVICES) {
    const names = [s.name, s.name.replace(/-/g, ' ')];
    if (s.sensor) names.push(s.sensor.sensorId, s.sensor.sensorType.toLowerCase());
    if (s.name === 'track-fusion') names.push('fusion');
    aliases.set(s.name, names);
  }
  if (truth) aliases.set(truth.groundTruth.rootCause.service, [...new Set([...(aliases.get(truth.groundTruth.rootCause.service) ?? []), ...truth.groundTruth.rootCause.aliases])]);
  return aliases;
}

/** The service a statement names first, with where. */
export function firstNamedService(statement: string, aliases: Map<ServiceName, string[]>): ServiceName | undefined {
  let best: { service: ServiceName; index: number } | undefined;
  for (const [service, names] of aliases) {
    for (const name of names) {
      const match = new RegExp(`(?<![\\w-])${escape(name)}(?![\\w])`, 'i').exec(statement);
      if (match && (best === undefined || match.index < best.index)) best = { service, index: match.index };
    }
  }
  return best?.service;
}

/** Patterns that recognise a signal of the ground truth being cited. */
function signalPattern(signal: string): string {
  // `up` is an English word: only count it as the metric when written as one
  if (signal === 'up') return '(`up`|\\bup\\s*(\\{|==?\\s*0|metric)|\\bup\\{)';
  // a histogram is cited through its series too (…_bucket in histogram_quantile)
  return `(?<![\\w.-])${escape(signal)}(_bucket|_sum|_count)?(?![\\w])`;
}

const NO_FAULT = /\bno (root cause|fault|failure|problem|issue|incident|anomal\w*)\b|\bfalse (positive|alarm)\b|\bspurious\b|\bnoise\b|\bnothing (is )?(wrong|abnormal)\b|\b(everything|all signals?|the (lab|pipeline|system)) (is |are |looks? |appears? )?(healthy|normal)\b/i;

export function scoreReport(result: AgentResult, truth: ScenarioSpec | 'control', catalogue: TelemetryCatalogue): Score {
  const text = [result.report, result.citedQueries.join('\n')].filter(Boolean).join('\n');
  const all = sentences(text);
  const fabrications = findFabrications(text, catalogue);
  const usable = result.status === 'ok';
  if (truth === 'control') {
    const aliases = serviceAliases();
    const named = usable && result.isNoise !== true ? firstNamedService(result.rootCause, aliases) : undefined;
    const saysNoFault = usable && (result.isNoise === true || (!named && (result.rootCause === '' || NO_FAULT.test(result.rootCause) || all.some((s) => NO_FAULT.test(s)))));
    const points: ScorePoint[] = [
      saysNoFault
        ? { rule: 'no-fault', points: 1, why: 'it reports that nothing is wrong', sentence: all.find((s) => NO_FAULT.test(s)) ?? (result.isNoise ? 'is_noise: true' : undefined) }
        : { rule: 'no-fault', points: 0, why: usable ? 'it does not say that nothing is wrong' : `its output is ${result.status}: ${result.problem ?? ''}` },
    ];
    if (named && !NO_FAULT.test(result.rootCause)) points.push({ rule: 'false-positive', points: -2, why: `it blames ${named} although no fault was injected`, sentence: result.rootCause });
    return { truth: 'control', total: points.reduce((a, p) => a + p.points, 0), max: 1, outputStatus: result.status, points, categoryNamed: false, citedEvidence: [], fabrications };
  }

  const gt = truth.groundTruth;
  const points: ScorePoint[] = [];
  if (!usable) {
    points.push({ rule: 'service', points: 0, why: `its output is ${result.status}: ${result.problem ?? 'nothing to score'}` });
    return { truth: truth.name, total: 0, max: 3, outputStatus: result.status, points, categoryNamed: false, citedEvidence: [], fabrications };
  }
  const aliases = serviceAliases(truth);
  const statement = result.rootCause || all[0] || '';
  const named = firstNamedService(statement, aliases);
  points.push(
    named === gt.rootCause.service
      ? { rule: 'service', points: 1, why: `it names ${gt.rootCause.service} as the root cause`, sentence: statement }
      : { rule: 'service', points: 0, why: named ? `it names ${named}, not ${gt.rootCause.service}, as the root cause` : 'its root-cause statement names no service', sentence: statement || undefined },
  );

  const citations = gt.evidence.flatMap((e) => {
    const sentence = all.find((s) => new RegExp(signalPattern(e.signal), 'i').test(s));
    return sentence ? [{ signal: e.signal, sentence }] : [];
  });
  const cited = citations[0];
  points.push(
    cited
      ? { rule: 'evidence', points: 1, why: `it cites ${cited.signal}, evidence of the ground truth`, sentence: cited.sentence }
      : { rule: 'evidence', points: 0, why: `it cites none of ${gt.evidence.map((e) => e.signal).join(', ')}` },
  );

  const remediationTexts = result.remediation ? sentences(result.remediation) : all;
  const remedy = assertingSentence(remediationTexts, gt.remediation.patterns);
  points.push(
    remedy.sentence
      ? { rule: 'remediation', points: 1, why: `it proposes the right remediation (${gt.remediation.summary})`, sentence: remedy.sentence }
      : { rule: 'remediation', points: 0, why: `it does not propose: ${gt.remediation.summary}` },
  );

  for (const m of gt.misattributions) {
    const hit = assertingSentence(all, m.patterns);
    if (hit.sentence) points.push({ rule: 'misattribution', points: -m.penalty, why: `it claims ${m.claim}`, sentence: hit.sentence });
  }
  const categoryNamed = assertingSentence(all, gt.categoryPatterns).sentence !== undefined;
  return { truth: truth.name, total: points.reduce((a, p) => a + p.points, 0), max: 3, outputStatus: result.status, points, categoryNamed, citedEvidence: [...new Set(citations.map((c) => c.signal))], fabrications };
}
