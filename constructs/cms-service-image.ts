/**
 * The one image of the eight CMS services, built on the Docker host from
 * services/Dockerfile. It is rebuilt when any file it is built from changes
 * (a content hash is its trigger), so `cdktf diff` shows a rebuild exactly
 * when the services changed.
 */
import { Image } from '@cdktf/provider-docker/lib/image';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../services/runtime/paths';
import { ROOT_FROM_STACK_DIR } from './host-tool';

export interface CmsServiceImageProps {
  /** Local image name and tag, e.g. cms-lab/cms-service:0.1.0. */
  readonly tag: string;
  /** Repository root (the build context), relative to the stack's synthesized folder. @default the checkout's root */
  readonly context?: string;
}

/** Files the image is built from (relative to the context), for the content hash. */
export const CMS_IMAGE_SOURCES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.services.json', 'services', 'model'] as const;
const EXCLUDED = new Set(['generated', 'node_modules']);

function walk(root: string, entry: string, out: string[]): void {
  const full = path.join(root, entry);
  if (statSync(full).isDirectory()) {
    for (const child of readdirSync(full).sort()) if (!EXCLUDED.has(child)) walk(root, path.join(entry, child), out);
  } else {
    out.push(entry);
  }
}

/** sha256 over the image's source files, names and contents. */
export function sourceHash(context: string): string {
  const files: string[] = [];
  for (const entry of CMS_IMAGE_SOURCES) walk(context, entry, files);
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(context, file))).update('\0');
  return hash.digest('hex');
}

export class CmsServiceImage extends Construct {
  readonly image: Image;

  constructor(scope: Construct, id: string, props: CmsServiceImageProps) {
    super(scope, id);
    const context = props.context ?? ROOT_FROM_STACK_DIR;
    this.image = new Image(this, 'image', {
      name: props.tag,
      keepLocally: true,
      // hashed here from this checkout; Terraform resolves the relative context from the stack's folder
      buildAttribute: { context, dockerfile: 'services/Dockerfile', tag: [props.tag], label: { 'org.cms-lab.component': 'cms-service-image' } },
      triggers: { sources: sourceHash(projectRoot()) },
    });
  }

  /** The built image id, for containers (changes when the image is rebuilt). */
  get imageId(): string {
    return this.image.imageId;
  }
}
