/**
 * Deploy-time commands run on the Docker host by null_resource
 * provisioners. They are the lab's own TypeScript tools (scripts/lab/*),
 * run with ts-node from this checkout, so no secret ever appears in the
 * synthesized configuration or the Terraform state: tools read secrets from
 * files. Paths are relative to the folder Terraform runs in
 * (`cdktf.out/stacks/<stack>`), so the synthesized stacks do not depend on
 * where the checkout lives, and a destroy-time command kept in the state
 * runs from whichever checkout destroys it.
 */
import path from 'node:path';

export type HostTool = 'wait-ready' | 'agent-token' | 'ollama-check' | 'preflight' | 'lab-status';

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The checkout's root, seen from a stack's synthesized folder `cdktf.out/stacks/<stack>`, where Terraform runs. */
export const ROOT_FROM_STACK_DIR = '../../..';

export function hostToolCommand(tool: HostTool, args: readonly string[]): string {
  const root = ROOT_FROM_STACK_DIR;
  const tsNode = path.posix.join(root, 'node_modules', 'ts-node', 'dist', 'bin.js');
  const script = path.posix.join(root, 'scripts', 'lab', `${tool}.ts`);
  return ['node', tsNode, '--transpile-only', '--project', path.posix.join(root, 'tsconfig.json'), script, ...args].map(quote).join(' ');
}
