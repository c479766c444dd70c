/** What every agent adapter receives and returns. */
import type { GrafanaNotification } from '../../scenarios/render';
import type { OutputFormat } from '../agent-result';
import type { TelemetryAccess } from '../lab-driver';

export interface AgentInput {
  /** The run's artefact folder, on the runner's side (the adapter may keep what it passed there; the agent never sees it). */
  readonly runDir: string;
  /** Folders no agent may read: the repository, the results tree, the lab's home with its secrets. @default none */
  readonly privatePaths?: readonly string[];
  /** File holding the notification the agent is given. */
  readonly alertPath: string;
  readonly alert: GrafanaNotification;
  readonly access: TelemetryAccess;
  readonly timeoutMs: number;
  /** Model name for LLM agents. @default the agent's own default */
  readonly model?: string;
  readonly signal?: AbortSignal;
}

export interface AgentRun {
  /** How to read `raw`. */
  readonly format: OutputFormat;
  /** The agent's raw result (undefined when it wrote none). */
  readonly raw?: string;
  /** What the agent printed or did, for the transcript artefact. */
  readonly transcript: string;
  readonly exitCode?: number | null;
  readonly timedOut: boolean;
  readonly wallMs: number;
  /** Tokens, where the agent reports them. */
  readonly tokens?: { readonly input?: number; readonly output?: number; readonly total?: number };
  /** Tool calls, where the agent reports them. */
  readonly toolCalls?: number;
  /** Telemetry queries the agent made, where known. */
  readonly sourcesQueried: ReadonlyArray<{ readonly source: string; readonly query: string }>;
  /** Why the agent could not run or did not finish, in one sentence. */
  readonly error?: string;
  /** What the agent process was shut off from (host-side agents), in words. */
  readonly isolation?: string;
}

export interface AgentAdapter {
  /** Name used in results (`baseline`, `opensre`, `command:<cmd>` …). */
  readonly name: string;
  investigate(input: AgentInput): Promise<AgentRun>;
}

export class UnknownAgentError extends Error {
  constructor(requested: string) {
    super(`unknown agent '${requested}'; valid agents: baseline, trivial, opensre, holmesgpt, command:<command line>`);
    this.name = 'UnknownAgentError';
  }
}
