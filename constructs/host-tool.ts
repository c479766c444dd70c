/**
 * Deploy-time commands run on the Docker host by null_resource
 * provisioners. They are the lab's own TypeScript tools (scripts/lab/*),
 * run with ts-node from this checkout, so no secret ever appears in the
 * synthesized configuration or the Terraform state: tools read secrets from
 * files.
 */
import path from 'node:path';
import { projectRoot } from '../services/runtime/paths';

export type HostTool = 'wait-ready' | 'agent-token' | 'ollama-check' | 'preflight' | 'lab-status';

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function hostToolCommand(tool: HostTool, args: readonly string[]): string {
  const root = projectRoot();
  const tsNode = path.join(root, 'node_modules', 'ts-node', 'dist', 'bin.js');
  const script = path.join(root, 'scripts', 'lab', `${tool}.ts`);
  return ['node', tsNode, '--transpile-only', '--project', path.join(root, 'tsconfig.json'), script, ...args].map(quote).join(' ');
}
