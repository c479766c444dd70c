/**
 * Scores an agent's report against a scenario's ground truth, automatically
 * and explainably: +1 right service (aliases accepted; over several root
 * causes, the F1 of precision and recall over the entities, as ITBench
 * scores multi-fault incidents), +1 right evidence (a signal of the ground
 * truth cited by name or in words, as observed — not as something to check
 * later), +1 right remediation, −1 or −2 per listed misattribution; every
 * point carries the sentence or field that earned or lost it. A structured
 * answer (runner/answer/contract.ts) is read first, field by field; the
 * report's prose is the fallback. A clause that denies a claim ("not a
 * crash", "a partition was ruled out") does not make it. For the no-fault
 * control: +1 for saying nothing is wrong, −2 for naming a root cause. A
 * fabrication check runs over every report.
 */
import { alertRule } from '../model/alerts';
import { selectedMetrics } from '../model/promql';
import { CMS_SERVICES, type ServiceName } from '../model/services';
import { SIGNAL_PHRASES, contractSignalOf, signalInWords } from '../model/telemetry-phrases';
import { rootCausesOf } from '../scenarios/faults';
import type { EvidenceSignal, RootCauseTruth, ScenarioSpec } from '../scenarios/types';
import type { AgentResult } from './agent-result';
import type { Answer } from './answer/contract';
import type { TelemetryCatalogue } from './catalogue';
import { type Fabrication, findFabrications } from './hallucination';

export type RubricRule = 'service' | 'evidence' | 'remediation' | 'misattribution' | 'no-fault' | 'false-positive';

export interface ScorePoint {
  readonly rule: RubricRule;
  /** Points this line adds (negative for penalties; 0 when not earned; a fraction for a partly right set of root causes). */
  readonly points: number;
  /** Why, in one sentence. */
  readonly why: string;
  /** The sentence of the report (or the answer's field) that earned or lost it. */
  readonly sentence?: string;
}

/** Precision and recall over root-cause entities (services). */
export interface EntityMatch {
  readonly named: readonly string[];
  readonly truth: readonly ServiceName[];
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface Score {
  readonly truth: string;
  readonly total: number;
  readonly max: number;
  readonly outputStatus: AgentResult['status'];
  /** What the points were read from: the structured answer's fields, or the report's prose. */
  readonly basis: 'answer' | 'prose';
  /** Why an answer the agent gave was not used. */
  readonly answerProblem?: string;
  readonly points: readonly ScorePoint[];
  /** Whether the report names the fault category (reported, not scored). */
  readonly categoryNamed: boolean;
  /** Every ground-truth evidence signal the report cites. */
  readonly citedEvidence: readonly string[];
  readonly entities?: EntityMatch;
  readonly fabrications: readonly Fabrication[];
}

/** Report text split into sentences (lines first, so markdown structure never joins two claims). */
export function sentences(text: string): string[] {
  return sectionedSentences(text).map((s) => s.text);
}

interface Sentence {
  readonly text: string;
  /** The markdown heading (or bold label line) it sits under, lowercased ('' before any). */
  readonly section: string;
}

const HEADING = /^(#{1,6}\s+|\*{1,2}([^*]+)\*{1,2}:?\s*$|__([^_]+)__\s*$)/;

function sectionedSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let section = '';
  for (const raw of text.replace(/https?:\/\/\S+/g, ' ').split(/\n+/)) {
    const line = raw.trim();
    if (!line) continue;
    if (HEADING.test(line)) section = line.replace(/[#*_:]/g, '').trim().toLowerCase();
    // an inline label ("**Suggested fix:** …", "Remediation: …") is the section of its own line
    const label = /^(?:[-*•]\s*)?(?:\*\*([^*]{2,40})\*\*|([A-Z][A-Za-z ]{2,30}):\s)/.exec(line);
    const lineSection = label ? (label[1] ?? label[2]).replace(/:$/, '').trim().toLowerCase() : section;
    for (const piece of line.split(/(?<=[.!?])\s+(?=[A-Z`*"'(#-])/)) {
      const trimmed = piece.trim();
      if (trimmed) out.push({ text: trimmed, section: HEADING.test(line) ? section : lineSection });
    }
  }
  return out;
}

const NEGATION = /\b(not|no|never|isn't|wasn't|aren't|weren't|doesn't|didn't|don't|cannot|can't|rather than|instead of|ruled? out|rules out|rule out|unlike|excluded?|excludes|neither|nor|unrelated|without)\b/i;
/** A denial after the claim, in the same clause: "a partition was ruled out", "… is unlikely". */
const DENIED_AFTER = /^[^.;:]{0,25}?\b(is|was|were|are|has been|have been|can be|seems?|appears?)?\s*(ruled out|excluded|unlikely|not (the|a) (root )?(cause|issue|factor|problem)|not involved|not the culprit|cannot be (told|distinguished)( apart)?|would(n't| not))\b/i;
/** Clause boundaries: a negation beyond one does not deny the claim. */
const CLAUSE_BREAK = /[;—–()]|,\s|\s-\s|\b(but|while|whereas|although|though|however|yet|so|and then|because)\b/gi;

/** A label that denies all it introduces ("Ruled out: …", "Excluded: …"). */
const DENYING_LABEL = /(ruled out|rule out|excluded|not the cause|rejected|dismissed|unlikely|not)\s*\**\s*$/i;

function clauseBefore(sentence: string, index: number): string {
  const before = sentence.slice(0, index);
  let start = 0;
  for (const m of before.matchAll(CLAUSE_BREAK)) start = (m.index ?? 0) + m[0].length;
  // a colon ends a clause ("No system fault: new targets entered"), unless what it ends is a denying label ("Ruled out: …")
  for (const m of before.matchAll(/:/g)) if (!DENYING_LABEL.test(before.slice(0, m.index))) start = Math.max(start, (m.index ?? 0) + 1);
  return before.slice(Math.max(start, before.length - 70));
}

/** A line that opens with a denying label denies every claim on it, through its list separators. */
const DENYING_LINE = /^\W*(ruled out|excluded|rejected|dismissed|not the cause|not)\s*\**\s*:/i;

/**
 * Whether the claim matched at `match` is denied in its own clause: before
 * it, inside it ("the process has not crashed") or right after it ("… was
 * ruled out"). A negation the pattern spells itself ("not running") is part
 * of the claim, not a denial of it.
 */
function denied(sentence: string, match: RegExpExecArray, source: string): boolean {
  if (DENYING_LINE.test(sentence)) return true;
  if (NEGATION.test(clauseBefore(sentence, match.index)) || DENIED_AFTER.test(sentence.slice(match.index + match[0].length))) return true;
  const spelt = source.toLowerCase();
  for (const m of match[0].matchAll(new RegExp(NEGATION.source, 'gi'))) {
    const phrase = match[0].slice(m.index ?? 0).toLowerCase().split(/\s+/).slice(0, 2).join(' ');
    if (!spelt.includes(phrase)) return true;
  }
  return false;
}

/** The first sentence matching one of `patterns` where the match is not denied in its clause. */
export function assertingSentence(texts: readonly string[], patterns: readonly string[]): { sentence: string; denied: string[] } | { sentence?: undefined; denied: string[] } {
  const deniedSentences: string[] = [];
  for (const sentence of texts) {
    for (const source of patterns) {
      const match = new RegExp(source, 'i').exec(sentence);
      if (!match) continue;
      if (denied(sentence, match, source)) {
        deniedSentences.push(sentence);
        continue;
      }
      return { sentence, denied: deniedSentences };
    }
  }
  return { denied: deniedSentences };
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
  for (const cause of truth ? truthCauses(truth) : []) aliases.set(cause.service, [...new Set([...(aliases.get(cause.service) ?? []), ...cause.aliases])]);
  return aliases;
}

/** Every root cause of a ground truth, the primary one first. */
export function truthCauses(truth: ScenarioSpec): readonly RootCauseTruth[] {
  return rootCausesOf(truth);
}

function serviceMatches(statement: string, aliases: Map<ServiceName, string[]>): Array<{ service: ServiceName; index: number }> {
  const found: Array<{ service: ServiceName; index: number }> = [];
  for (const [service, names] of aliases) {
    let first: number | undefined;
    for (const name of names) {
      const match = new RegExp(`(?<![\\w-])${escape(name)}(?![\\w])`, 'i').exec(statement);
      if (match && (first === undefined || match.index < first)) first = match.index;
    }
    if (first !== undefined) found.push({ service, index: first });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The service a statement names first. */
export function firstNamedService(statement: string, aliases: Map<ServiceName, string[]>): ServiceName | undefined {
  return serviceMatches(statement, aliases)[0]?.service;
}

/** A service name as an answer gives it, resolved through the aliases (undefined: no lab service). */
function resolveService(name: string, aliases: Map<ServiceName, string[]>): ServiceName | undefined {
  const exact = [...aliases].find(([, names]) => names.some((n) => n.toLowerCase() === name.trim().toLowerCase()));
  return exact?.[0] ?? firstNamedService(name, aliases);
}

export function entityMatch(named: readonly string[], truth: readonly ServiceName[]): EntityMatch {
  const unique = [...new Set(named)];
  const right = unique.filter((n) => (truth as readonly string[]).includes(n)).length;
  const precision = unique.length ? right / unique.length : 0;
  const recall = truth.length ? right / truth.length : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { named: unique, truth, precision, recall, f1: Math.round(f1 * 100) / 100 };
}

/** Patterns that recognise a signal cited by its name. */
function identifierPattern(signal: string): string {
  // `up` is an English word: only count it as the metric when written as one
  if (signal === 'up') return '(`up`|\\bup\\s*(\\{|==?\\s*0|metric|series)|\\bup\\{)';
  // a histogram is cited through its series too (…_bucket in histogram_quantile)
  return `(?<![\\w.-])${escape(signal)}(_bucket|_sum|_count)?(?![\\w])`;
}

/** Every way a report may cite a ground-truth signal: its name, its name in words, the contract's phrases, the scenario's own. */
function evidencePatterns(e: EvidenceSignal): string[] {
  const words = signalInWords(contractSignalOf(e.signal));
  return [identifierPattern(e.signal), ...(words ? [`\\b${escape(words)}\\b`] : []), ...(SIGNAL_PHRASES[contractSignalOf(e.signal)] ?? []), ...(e.phrases ?? [])];
}

/** Words by which a sentence says a signal is missing. */
const ABSENT = /\b(no|never|without|absent|missing|none|not|nothing|stopped|ended|ceased|gone|silent)\b/i;

/** Sections whose sentences propose work rather than report what was seen. */
const PROPOSAL_SECTION = /next steps?|recommend|remediation|mitigation|action items?|to do|todo|follow[- ]?up|further investigation|suggested|fix|to (confirm|check|verify)|would check|what to check/;
/** Sections that restate the page: what the alert says is not evidence gathered. */
const ALERT_SECTION = /^alert\b|alert (explanation|summary|details)|^the (alert|page)|^page\b/;
/** A clause that proposes to look rather than says what was seen. */
const PROPOSAL = /\b(check|verify|investigate|inspect|look (at|into)|confirm|monitor|review|query|consider|should|would|could|might want|recommend(ed)?|suggest(ed)?|next,? |to be checked|worth checking|need(s)? to)\b/i;
/** What follows a signal to make it a thing to look at: "…: check whether …", "… to confirm". */
const PROPOSAL_AFTER = /\b(check|verify|confirm|see|determine|find out) (whether|if)\b|\bto (confirm|verify|check|see|find out|tell)\b|^[^.;]{0,80}?\b(should|will|would|may|might) (drop|fall|rise|recover|return|show|be)\b/i;
/** A sentence that is an instruction ("Check …", "- Query …") or an expectation ("… expect OWNERSHIP"). */
const INSTRUCTION = /^([-*•]|\d+[.)])?\s*(\*\*)?(check|verify|query|look|confirm|inspect|run|compare|search|grep|review|examine|investigate|correlate|open|consider|restart|remove|restore|revert|reconnect|raise|lift|roll back|unset)\b|\bexpect(ing)?\b/i;

function citedIn(sentence: Sentence, e: EvidenceSignal): boolean {
  if (PROPOSAL_SECTION.test(sentence.section) || ALERT_SECTION.test(sentence.section) || INSTRUCTION.test(sentence.text)) return false;
  for (const source of evidencePatterns(e)) {
    const match = new RegExp(source, 'i').exec(sentence.text);
    if (!match) continue;
    if (PROPOSAL.test(clauseBefore(sentence.text, match.index)) || PROPOSAL_AFTER.test(sentence.text.slice(match.index + match[0].length))) continue;
    // its absence is the evidence: the sentence must say it is missing
    if (e.absence) {
      if (ABSENT.test(sentence.text)) return true;
      continue;
    }
    if (denied(sentence.text, match, source)) continue;
    return true;
  }
  return false;
}

/** Whether an evidence item of a structured answer is a ground-truth signal: its signal, its query, or what it says it showed. */
function answerItemCites(item: Answer['evidence'][number], e: EvidenceSignal): boolean {
  const name = new RegExp(`^${identifierPattern(e.signal)}$|^${escape(e.signal)}(_bucket|_sum|_count)?$`, 'i');
  if (name.test(item.signal.trim()) || contractSignalOf(item.signal.trim()) === e.signal) return true;
  if (item.query) {
    try {
      if (selectedMetrics(item.query).some((m) => m === e.signal || m.replace(/_(bucket|sum|count)$/, '') === e.signal)) return true;
    } catch {
      // not PromQL
    }
    if (new RegExp(`\\|[=~]\\s*"${escape(e.signal)}"`).test(item.query) || new RegExp(`name\\s*=\\s*"${escape(e.signal)}"`).test(item.query)) return true;
  }
  // a signal is matched by its name above; in words, only what the item says it showed
  return citedIn({ text: item.observed, section: '' }, e);
}

/** Verbs of a proposed fix. */
const REMEDY_VERB = /\b(remove|restore|revert|restart|reconnect|re-?attach|unset|set|roll(ing)? ?back|raise|lift|increase|relax|lower|reduce|fix|start|bring|redeploy|recycle|undo|drop|give|reset|re-?enable|scale)\b/i;

/** A tool call that returned nothing usable. */
const FAILED_CALL = /->\s*error|\b(error|failed|timed? ?out|deadline exceeded|refused)\b/i;
/** Labels under which a report lists what it considers less likely. */
const ALTERNATIVE_SECTION = /less likely|unlikely|ruled out|alternatives?|other (hypotheses|possibilities|candidates)|weaker|considered|non-validated|not gathered|limitations|caveats|gaps/;

/** A root-cause statement that only raises possibilities. */
const TENTATIVE = /^\W*(unknown|unclear|undetermined|inconclusive)\b|\b(possibl[ey]|perhaps|maybe)\b[^.]{0,40}\bor\b|\bor possibl[ey]\b/i;

/** A report that declines to choose between causes. */
const HEDGE = /\b(could not|cannot|can't|unable to|did not|didn't) (narrow|determine|tell|distinguish|pin|decide|conclude)|\bequally (well|likely|plausible|probable)\b|\binconclusive\b|\bundetermined\b|\bnot (yet )?(conclusive|determined)\b|\bno (single|clear) (root )?cause\b/i;

const NO_FAULT = /\bno (\w+ )?(root cause|fault|failure|problem|issue|incident|anomal\w*)\b|\bfalse (positive|alarm)\b|\bspurious\b|\bnoise\b|\bnothing (is )?(wrong|abnormal)\b|\b(everything|all signals?|the (lab|pipeline|system)) (is |are |looks? |appears? )?(healthy|normal)\b/i;

function unusable(result: AgentResult, truth: string, max: number, fabrications: readonly Fabrication[]): Score {
  const rule: RubricRule = truth === 'control' ? 'no-fault' : 'service';
  return { truth, total: 0, max, outputStatus: result.status, basis: 'prose', points: [{ rule, points: 0, why: `its output is ${result.status}: ${result.problem ?? 'nothing to score'}` }], categoryNamed: false, citedEvidence: [], fabrications };
}

function scoreControl(result: AgentResult, all: readonly string[], fabrications: readonly Fabrication[]): Score {
  const aliases = serviceAliases();
  const answer = result.answer;
  const basis = answer ? 'answer' : 'prose';
  let saysNoFault: boolean;
  let blamed: ServiceName | undefined;
  let evidence: string | undefined;
  if (answer) {
    saysNoFault = answer.verdict === 'no-fault';
    blamed = answer.root_causes.map((c) => resolveService(c.service, aliases)).find(Boolean);
    evidence = saysNoFault ? 'verdict: no-fault' : `verdict: ${answer.verdict}`;
  } else {
    blamed = result.isNoise !== true ? firstNamedService(result.rootCause, aliases) : undefined;
    // "no fault", or a service raised only as a possibility, is not a blame
    if (blamed && (NO_FAULT.test(result.rootCause) || TENTATIVE.test(result.rootCause) || HEDGE.test(result.rootCause))) blamed = undefined;
    saysNoFault = result.isNoise === true || (!blamed && (result.rootCause === '' || NO_FAULT.test(result.rootCause) || all.some((s) => NO_FAULT.test(s))));
    evidence = all.find((s) => NO_FAULT.test(s)) ?? (result.isNoise ? 'is_noise: true' : undefined);
  }
  const points: ScorePoint[] = [saysNoFault ? { rule: 'no-fault', points: 1, why: 'it reports that nothing is wrong', sentence: evidence } : { rule: 'no-fault', points: 0, why: 'it does not say that nothing is wrong' }];
  if (blamed) points.push({ rule: 'false-positive', points: -2, why: `it blames ${blamed} although no fault was injected`, sentence: answer ? `root_causes: ${answer.root_causes.map((c) => c.service).join(', ')}` : result.rootCause });
  return { truth: 'control', total: points.reduce((a, p) => a + p.points, 0), max: 1, outputStatus: result.status, basis, ...(result.answerProblem ? { answerProblem: result.answerProblem } : {}), points, categoryNamed: false, citedEvidence: [], fabrications };
}

export function scoreReport(result: AgentResult, truth: ScenarioSpec | 'control', catalogue: TelemetryCatalogue): Score {
  const text = [result.report, result.citedQueries.join('\n')].filter(Boolean).join('\n');
  const structured = sectionedSentences(text);
  const reportSentences = sectionedSentences(result.report);
  const all = structured.map((s) => s.text);
  // unusable output is not judged at all, its fragments included
  const fabrications = result.status === 'ok' ? findFabrications(text, catalogue) : [];
  if (result.status !== 'ok') return unusable(result, truth === 'control' ? 'control' : truth.name, truth === 'control' ? 1 : 3, fabrications);
  if (truth === 'control') return scoreControl(result, all, fabrications);

  const gt = truth.groundTruth;
  const causes = truthCauses(truth);
  const truthServices = causes.map((c) => c.service);
  const aliases = serviceAliases(truth);
  const answer = result.answer;
  const points: ScorePoint[] = [];

  // service: the answer's root-cause entities, else the prose's root-cause statement
  let entities: EntityMatch;
  let statement: string;
  if (answer) {
    entities = entityMatch(
      answer.root_causes.map((c) => resolveService(c.service, aliases) ?? c.service),
      truthServices,
    );
    statement = `root_causes: ${answer.root_causes.map((c) => c.service).join(', ') || '(none)'}`;
  } else {
    statement = result.rootCause || all.find((x) => !/^#/.test(x)) || '';
    // "no fault: …" or is_noise names no culprit, whatever services it mentions
    const exonerates = result.isNoise === true || /^\W*no (\w+ )?(root cause|fault|failure|problem|issue|incident)\b/i.test(statement);
    const named = exonerates ? [] : serviceMatches(statement, aliases).map((m) => m.service);
    // one root cause: the one the statement names first; several: every one it names
    entities = entityMatch(causes.length > 1 ? named : named.slice(0, 1), truthServices);
  }
  const expected = truthServices.join(' and ');
  const hedge = answer ? undefined : all.find((x) => HEDGE.test(x));
  points.push(
    hedge && entities.f1 > 0
      ? { rule: 'service', points: 0, why: `it names ${entities.named.join(', ')} but does not commit to it as the root cause`, sentence: hedge }
      : entities.f1 === 1
      ? { rule: 'service', points: 1, why: `it names ${expected} as the root cause`, sentence: statement }
      : entities.f1 > 0
        ? { rule: 'service', points: entities.f1, why: `it names ${entities.named.join(', ')} against ${expected} (precision ${entities.precision.toFixed(2)}, recall ${entities.recall.toFixed(2)})`, sentence: statement }
        : { rule: 'service', points: 0, why: entities.named.length ? `it names ${entities.named.join(', ')}, not ${expected}, as the root cause` : 'its root-cause statement names no service', sentence: statement || undefined },
  );

  // what the page itself says is no observation: a paged signal cited in words counts only with a reading the page does not carry
  const pagedRule = alertRule(truth.expectedAlerts[0]);
  const paged = new Set(selectedMetrics(pagedRule.expr).map((m) => m.replace(/_(bucket|sum|count)$/, '')));
  const pageNumbers = new Set([truth.exampleAlertValue, ...[...`${pagedRule.expr} ${pagedRule.summary} ${pagedRule.description}`.matchAll(/\d+(\.\d+)?/g)].map((m) => Number(m[0]))].map(String));
  const observedBeyondPage = (e: EvidenceSignal, sentence: string) =>
    !paged.has(e.signal) || new RegExp(identifierPattern(e.signal), 'i').test(sentence) || [...sentence.matchAll(/\d+(\.\d+)?/g)].some((m) => !pageNumbers.has(String(Number(m[0]))));
  // evidence: the answer's evidence items first, then the prose
  const fromAnswer = answer ? gt.evidence.flatMap((e) => answer.evidence.filter((item) => answerItemCites(item, e) && (!paged.has(e.signal) || item.query !== undefined || observedBeyondPage(e, item.observed))).slice(0, 1).map((item) => ({ signal: e.signal, sentence: `evidence: ${item.signal}: ${item.observed}` }))) : [];
  // the queries an agent reports having run (tool calls) are observations in themselves
  const fromProse = gt.evidence.flatMap((e) => {
    const ran = e.absence ? undefined : result.citedQueries.find((q) => new RegExp(identifierPattern(e.signal), 'i').test(q) && !FAILED_CALL.test(q));
    if (ran) return [{ signal: e.signal, sentence: ran }];
    const sentence = reportSentences.find((s) => citedIn(s, e) && observedBeyondPage(e, s.text));
    return sentence ? [{ signal: e.signal, sentence: sentence.text }] : [];
  });
  // an answer that lists evidence is judged on that list; the prose only when it lists none
  const citations = answer && answer.evidence.length > 0 ? fromAnswer : fromProse;
  const cited = citations[0];
  points.push(
    cited
      ? { rule: 'evidence', points: 1, why: `it cites ${cited.signal}, evidence of the ground truth`, sentence: cited.sentence }
      : { rule: 'evidence', points: 0, why: `it cites none of ${[...new Set(gt.evidence.map((e) => e.signal))].join(', ')} as observed` },
  );

  // remediation: the answer's typed action for the right service, else the words
  const action = answer?.remediation;
  const targetOk = !action?.target || causes.some((c) => resolveService(action.target ?? '', aliases) === c.service);
  if (action && (gt.remediation.actions as readonly string[]).includes(action.action) && targetOk) {
    points.push({ rule: 'remediation', points: 1, why: `it proposes the right remediation (${gt.remediation.summary})`, sentence: `remediation: ${action.action}${action.target ? ` ${action.target}` : ''}` });
  } else {
    // without a remediation field: sentences that propose (a remediation section, or an action verb), and that do not aim at another service only
    const remediationTexts = (result.remediation ? sentences(result.remediation) : structured.filter((x) => PROPOSAL_SECTION.test(x.section) || REMEDY_VERB.test(x.text)).map((x) => x.text)).filter((x) => {
      const named = serviceMatches(x, aliases).map((m) => m.service);
      return named.length === 0 || named.some((n) => truthServices.includes(n));
    });
    const remedy = targetOk ? assertingSentence(remediationTexts, gt.remediation.patterns) : { sentence: undefined };
    points.push(
      remedy.sentence
        ? { rule: 'remediation', points: 1, why: `it proposes the right remediation (${gt.remediation.summary})`, sentence: remedy.sentence }
        : { rule: 'remediation', points: 0, why: `it does not propose: ${gt.remediation.summary}`, ...(action ? { sentence: `remediation: ${action.action}${action.target ? ` ${action.target}` : ''}` } : {}) },
    );
  }

  // what a report lists as less likely or ruled out, it does not claim
  const claims = structured.filter((x) => !ALTERNATIVE_SECTION.test(x.section)).map((x) => x.text);
  for (const m of gt.misattributions) {
    const hit = assertingSentence(claims, m.patterns);
    if (hit.sentence) points.push({ rule: 'misattribution', points: -m.penalty, why: `it claims ${m.claim}`, sentence: hit.sentence });
  }
  const categoryNamed = answer ? answer.root_causes.some((c) => c.category === gt.category) : assertingSentence(all, gt.categoryPatterns).sentence !== undefined;
  const total = Math.round(points.reduce((a, p) => a + p.points, 0) * 100) / 100;
  return {
    truth: truth.name,
    total,
    max: 3,
    outputStatus: result.status,
    basis: answer ? 'answer' : 'prose',
    ...(result.answerProblem ? { answerProblem: result.answerProblem } : {}),
    points,
    categoryNamed,
    citedEvidence: [...new Set(citations.map((c) => c.signal))],
    entities,
    fabrications,
  };
}
