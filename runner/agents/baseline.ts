/** The lab's deterministic baseline investigator as an agent: in process, reading the run's telemetry access. */
import { investigate } from '../../investigator/investigate';
import { type RecordedCall, recording } from '../../investigator/sources';
import type { LabModel } from '../../model/lab';
import type { AgentAdapter, AgentInput, AgentRun } from './types';

function kindOf(input: AgentInput, source: RecordedCall['source']): string {
  return (source === 'metrics' ? input.access.sources.metrics.kind : source === 'logs' ? input.access.sources.logs?.kind : input.access.sources.traces?.kind) ?? source;
}

export class BaselineAgent implements AgentAdapter {
  readonly name = 'baseline';
  constructor(private readonly lab: LabModel) {}

  async investigate(input: AgentInput): Promise<AgentRun> {
    const began = Date.now();
    const calls: RecordedCall[] = [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${input.timeoutMs} ms`)), input.timeoutMs);
    });
    const transcript = () => calls.map((c) => `[${c.source}] ${c.query} → ${Array.isArray(c.result) ? `${c.result.length} result(s)` : 'answer'}`).join('\n');
    try {
      const result = await Promise.race([investigate(input.alert, { lab: this.lab, sources: recording(input.access.sources, calls) }), timeout]);
      return {
        format: 'baseline',
        raw: `${JSON.stringify(result, null, 2)}\n`,
        transcript: `${transcript()}\n\n${result.report}`,
        exitCode: 0,
        timedOut: false,
        wallMs: Date.now() - began,
        sourcesQueried: calls.map((c) => ({ source: kindOf(input, c.source), query: c.query })),
        toolCalls: result.queries,
      };
    } catch (error) {
      const message = (error as Error).message;
      return { format: 'baseline', transcript: `${transcript()}\n\nfailed: ${message}`, exitCode: 1, timedOut: message.startsWith('timed out'), wallMs: Date.now() - began, sourcesQueried: calls.map((c) => ({ source: kindOf(input, c.source), query: c.query })), error: message };
    } finally {
      clearTimeout(timer);
    }
  }
}
