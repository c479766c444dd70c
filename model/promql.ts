/**
 * PromQL and Prometheus-duration checks with the Prometheus project's own
 * lezer grammar (@prometheus-io/lezer-promql), so an expression the model
 * carries is known to parse before Grafana or Prometheus ever sees it.
 */
import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlProblem {
  readonly offset: number;
  readonly message: string;
}

/** The first syntax error in `expr`, or undefined when it parses. */
export function promqlSyntaxError(expr: string): PromqlProblem | undefined {
  if (expr.trim() === '') return { offset: 0, message: 'empty expression' };
  const tree = parser.parse(expr);
  let problem: PromqlProblem | undefined;
  tree.iterate({
    enter: (node) => {
      if (problem) return false;
      if (node.type.isError) {
        problem = { offset: node.from, message: `syntax error at offset ${node.from}: '${expr.slice(node.from, node.from + 12) || '<end>'}'` };
        return false;
      }
      return undefined;
    },
  });
  return problem;
}

/** Metric names an expression selects (vector and matrix selectors). */
export function selectedMetrics(expr: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const first = node.node.firstChild;
        if (first && first.name === 'Identifier') names.add(expr.slice(first.from, first.to));
      }
    },
  });
  return [...names];
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

export function isPromDuration(text: string): boolean {
  return DURATION.test(text);
}

/** Seconds in a Prometheus duration such as `1m30s`; throws on anything else. */
export function durationSeconds(text: string): number {
  if (!isPromDuration(text)) throw new Error(`'${text}' is not a duration (for example 30s, 1m, 24h)`);
  let total = 0;
  for (const match of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(match[1]) * UNIT_SECONDS[match[2]];
  return total;
}
