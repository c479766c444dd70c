/** Argument parsing and failure reporting shared by the deploy-time host tools. */

export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export function options(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) throw new ToolError(`${arg} needs a value`);
    out.set(arg.slice(2), next);
    i++;
  }
  return out;
}

export function required(opts: Map<string, string>, name: string): string {
  const value = opts.get(name);
  if (value === undefined || value === '') throw new ToolError(`--${name} is required`);
  return value;
}

/** Runs a tool's main, turning a ToolError into one clear line and exit code 1. */
export function run(tool: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      const message = error instanceof ToolError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`\n[cms-lab ${tool}] ${message}\n\n`);
      process.exit(1);
    },
  );
}
