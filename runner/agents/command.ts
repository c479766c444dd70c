/**
 * Any agent as a command line: it gets the alert file and a result path
 * (as `{alert}` / `{result}` in the command, and as $ALERT_FILE /
 * $RESULT_FILE), the lab's read endpoints in its environment
 * ($CMS_GRAFANA_URL and $CMS_GRAFANA_TOKEN_FILE on the Docker lab,
 * $CMS_PROMETHEUS_URL natively), in a sandbox (./sandbox.ts), and
 * writes its result to the result path (or, failing that, to stdout): the
 * answer contract's JSON ($ANSWER_SCHEMA_FILE, $ANSWER_INSTRUCTIONS_FILE),
 * or JSON with root_cause / report / remediation, or markdown or text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { answerJsonSchema } from '../answer/contract';
import { commandAgentInstructions } from '../answer/instructions';
import { AgentSandbox } from './sandbox';
import type { AgentAdapter, AgentInput, AgentRun } from './types';

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
    // the agent works in a sandbox (./sandbox.ts): a neutral folder, an allow-listed environment, and where possible nothing else to read
    const sandbox = new AgentSandbox({ hidden: input.privatePaths ?? [] });
    try {
      const alertPath = sandbox.write('alert.json', readFileSync(input.alertPath, 'utf8'));
      const resultPath = sandbox.pathOf('agent-output');
      // the answer contract, asked for as its adapter documents (answer/INSTRUCTIONS.md)
      const schemaPath = sandbox.write('answer.schema.json', `${JSON.stringify(answerJsonSchema(), null, 2)}\n`);
      const instructionsPath = sandbox.write('answer-instructions.md', commandAgentInstructions());
      const env: Record<string, string> = {
        ...input.access.env,
        ALERT_FILE: alertPath,
        RESULT_FILE: resultPath,
        ANSWER_SCHEMA_FILE: schemaPath,
        ANSWER_INSTRUCTIONS_FILE: instructionsPath,
        ...(input.model ? { CMS_AGENT_MODEL: input.model } : {}),
      };
      const tokenFile = input.access.env.CMS_GRAFANA_TOKEN_FILE;
      // the token's own file lives under the lab's home, which the agent cannot read: it gets a copy in its workspace
      if (tokenFile) env.CMS_GRAFANA_TOKEN_FILE = existsSync(tokenFile) ? sandbox.write('grafana-token', readFileSync(tokenFile, 'utf8')) : tokenFile;
      const line = this.commandLine.replace(/\{alert\}/g, shellQuote(alertPath)).replace(/\{result\}/g, shellQuote(resultPath));
      const outcome = await sandbox.run('/bin/sh', ['-c', line], { env, timeoutMs: input.timeoutMs, signal: input.signal });
      const written = sandbox.read('agent-output');
      const raw = written ?? (outcome.stdout.trim() ? outcome.stdout : undefined);
      const error = outcome.launchError ?? (outcome.timedOut ? `timed out after ${input.timeoutMs} ms and was killed` : outcome.aborted ? 'aborted' : outcome.exitCode !== 0 ? `exited with ${outcome.exitCode ?? outcome.signal}` : undefined);
      return { format: 'generic', raw, transcript: outcome.output, exitCode: outcome.exitCode, timedOut: outcome.timedOut, wallMs: outcome.wallMs, sourcesQueried: [], error, isolation: sandbox.isolation };
    } finally {
      sandbox.dispose();
    }
  }
}
