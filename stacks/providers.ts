/** The Docker and null providers every stack of the lab uses, pinned to exact versions. */
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { ROOT_FROM_STACK_DIR } from '../constructs/host-tool';
import { LocalBackend, type TerraformStack } from 'cdktf';

export const PROVIDER_VERSIONS = { docker: '3.6.2', null: '3.2.4' } as const;

/**
 * The pinned providers, and the stack's local state kept in the checkout's
 * root under a path relative to the folder Terraform runs in, so the
 * synthesized JSON does not depend on where the checkout lives.
 */
export function pinnedProviders(stack: TerraformStack, stackName: string): void {
  new LocalBackend(stack, { path: `${ROOT_FROM_STACK_DIR}/terraform.${stackName}.tfstate` });
  new DockerProvider(stack, 'docker', {});
  new NullProvider(stack, 'null', {});
  // generated bindings carry '~> 3.0'; the lab pins exact versions
  stack.addOverride('terraform.required_providers.docker.version', PROVIDER_VERSIONS.docker);
  stack.addOverride('terraform.required_providers.null.version', PROVIDER_VERSIONS.null);
  stack.addOverride('terraform.required_providers.null.source', 'hashicorp/null');
}
