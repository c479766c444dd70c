/** Checks that Ollama answers and serves the model the agents are configured with. */
import { ToolError, options, required, run } from './cli';

/** Ollama names a model without a tag `name:latest`. */
function normalise(model: string): string {
  return model.includes(':') ? model : `${model}:latest`;
}

export async function checkOllamaModel(url: string, model: string, pullHint: string): Promise<string[]> {
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/$/, '')}/api/tags`, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    throw new ToolError(
      `Ollama is not reachable at ${url} (${cause}). Start Ollama on this host (and let containers reach it: OLLAMA_HOST=0.0.0.0), ` +
        `or set agents.ollama.mode to 'container' in the lab model.`,
    );
  }
  if (!response.ok) throw new ToolError(`Ollama at ${url} answered HTTP ${response.status} to /api/tags`);
  const body = (await response.json()) as { models?: Array<{ name?: string; model?: string }> };
  const present = (body.models ?? []).map((m) => m.name ?? m.model ?? '').filter(Boolean);
  if (!present.map(normalise).includes(normalise(model))) {
    throw new ToolError(
      `the model '${model}' is not present in Ollama at ${url} (it has: ${present.join(', ') || 'no models'}). Pull it with:\n\n    ${pullHint}\n\nthen re-run the deploy.`,
    );
  }
  return present;
}

if (require.main === module) {
  run('ollama-check', async () => {
    const opts = options(process.argv.slice(2));
    const model = required(opts, 'model');
    await checkOllamaModel(required(opts, 'url'), model, opts.get('pull-hint') ?? `ollama pull ${model}`);
    process.stdout.write(`Ollama serves ${model}\n`);
  });
}
