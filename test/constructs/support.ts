import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { buildLabModel } from '../../model/lab';

export const lab = buildLabModel();

/** Synthesizes the constructs `build` adds to a fresh stack; returns the JSON string for the matchers and its parsed form. */
export function synth(build: (scope: Construct) => void): { json: string; tf: { resource: Record<string, Record<string, Record<string, unknown>>> } } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack);
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) };
}

/** Every resource of a type, by logical name. */
export function resources(tf: { resource: Record<string, Record<string, Record<string, unknown>>> }, type: string): Array<Record<string, unknown>> {
  return Object.values(tf.resource[type] ?? {});
}
