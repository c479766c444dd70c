/**
 * Shared plumbing of the hand-written classes for the `grafana/grafana`
 * Terraform provider (no prebuilt cdktf binding exists on npm). Attribute
 * names follow the provider's own schema at the pinned version; each class
 * lists the attributes it covers in `coveredAttributes` (rendered into the
 * README).
 */
import { type ITerraformDependable, type TerraformProvider, TerraformResource, type TerraformResourceLifecycle } from 'cdktf';
import type { Construct } from 'constructs';

export const GRAFANA_PROVIDER_SOURCE = 'grafana/grafana';
export const GRAFANA_PROVIDER_VERSION = '4.45.1';

export interface GrafanaResourceOptions {
  /** @default the stack's default grafana provider */
  readonly provider?: TerraformProvider;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** @default none */
  readonly lifecycle?: TerraformResourceLifecycle;
}

export abstract class GrafanaResource extends TerraformResource {
  protected constructor(scope: Construct, id: string, resourceType: string, options: GrafanaResourceOptions) {
    super(scope, id, {
      terraformResourceType: resourceType,
      terraformGeneratorMetadata: {
        providerName: 'grafana',
        providerVersion: GRAFANA_PROVIDER_VERSION,
        providerVersionConstraint: GRAFANA_PROVIDER_VERSION,
      },
      provider: options.provider,
      dependsOn: options.dependsOn,
      lifecycle: options.lifecycle,
    });
  }

  /** Terraform's id of the object. */
  get id(): string {
    return this.getStringAttribute('id');
  }
}

/** Drops undefined values, so optional attributes left unset are absent from the synthesized JSON. */
export function defined<T extends Record<string, unknown>>(attributes: T): Partial<T> {
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Terraform interpolates `${…}` in every string; JSON documents handed to
 * Grafana (datasource jsonData, dashboard JSON) may legitimately contain it
 * (`${__value.raw}`), so it is escaped to `$${…}`.
 */
export function escapeInterpolation(text: string): string {
  // function replacers: in a replacement string `$$` would mean a single `$`
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
