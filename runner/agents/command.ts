/**
 * Any agent as a command line: it gets the alert file and a result path
 * (as `{alert}` / `{result}` in the command, and as $ALERT_FILE /
 * $RESULT_FILE), the lab's endpoints in its environment ($CMS_PROMETHEUS_URL,
 * and on the Docker lab $CMS_GRAFANA_URL and $CMS_GRAFANA_TOKEN_FILE), and
 * writes its result — JSON with root_cause / report / remediation, or
 * markdown or text — to the result path (or, failing that, to stdout).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentAdapter, AgentInput, AgentRun } from './types';
import { runAgentProcess } from './process';

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export class CommandAgent implements AgentAdapter {
  readonly name: string;

  constructor(private readonly commandLine: string) {
    if (!commandLine.trim()) throw new Error("a command agent needs a command: --agent 'command:<command line>'");
    this.name = `command:${commandLine}`;
  }

  async investigate(input: AgentInput): Promise<AgentRun> {
    const resultPath = path.join(input.runDir, 'agent-output');
    const line = this.commandLine.replace(/\{alert\}/g, shellQuote(input.alertPath)).replace(/\{result\}/g, shellQuote(resultPath));
    const outcome = await runAgentProcess('/bin/sh', ['-c', line], {
      cwd: input.runDir,
      env: { ...input.access.env, ALERT_FILE: input.alertPath, RESULT_FILE: resultPath, ...(input.model ? { CMS_AGENT_MODEL: input.model } : {}) },
      timeoutMs: input.timeoutMs,
      signal: input.signal,
    });
    const raw = existsSync(resultPath) ? readFileSync(resultPath, 'utf8') : outcome.stdout.trim() ? outcome.stdout : undefined;
    const error = outcome.launchError ?? (outcome.timedOut ? `timed out after ${input.timeoutMs} ms and was killed` : outcome.aborted ? 'aborted' : outcome.exitCode !== 0 ? `exited with ${outcome.exitCode ?? outcome.signal}` : undefined);
    return { format: 'generic', raw, transcript: outcome.output, exitCode: outcome.exitCode, timedOut: outcome.timedOut, wallMs: outcome.wallMs, sourcesQueried: [], error };
  }
}
