/** One native service process of a lab: its child, its parsed JSON log lines and stderr, and how it exited. */
import type { ChildProcess } from 'node:child_process';
import type { ServiceName } from '../model/services';

export interface LogLine {
  readonly service: ServiceName;
  readonly event: string;
  readonly level: string;
  readonly [field: string]: unknown;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class ServiceProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<ExitInfo>;
  exitInfo?: ExitInfo;
  /** Set when the harness stopped it on purpose (no restart). */
  stopRequested = false;

  constructor(
    readonly name: ServiceName,
    readonly child: ChildProcess,
    readonly env: Readonly<Record<string, string>>,
    onLine?: (service: ServiceName, line: string) => void,
  ) {
    let buffered = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        onLine?.(name, line);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.stderr.push(line);
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line) {
          this.stderr.push(line);
          onLine?.(name, line);
        }
      }
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      }),
    );
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /**
   * How it exited, in one line: the exit, the first lines of what it wrote
   * to stderr (where a thrown error's message is; the stack's tail only
   * names Node's module loader) and its last line.
   */
  exitSummary(): string {
    const message = this.stderr.filter((line) => !/^\s+at /.test(line));
    const shown = [...message.slice(0, 3), ...(message.length > 3 ? ['…', message[message.length - 1]] : [])];
    return `${this.name} exited (${JSON.stringify(this.exitInfo)}): ${shown.join(' | ') || 'nothing on stderr'}`;
  }
}
