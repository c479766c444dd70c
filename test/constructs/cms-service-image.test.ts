import { Image } from '@cdktf/provider-docker/lib/image';
import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CMS_IMAGE_SOURCES, CmsServiceImage, sourceHash } from '../../constructs/cms-service-image';
import { projectRoot } from '../../services/runtime/paths';
import { resources, synth } from './support';

describe('CmsServiceImage', () => {
  it('builds services/Dockerfile from the repository, triggered by a hash of its sources', () => {
    const { json, tf } = synth((s) => new CmsServiceImage(s, 'image', { tag: 'cms-lab/cms-service:0.1.0' }));
    expect(json).toHaveResourceWithProperties(Image, { name: 'cms-lab/cms-service:0.1.0', keep_locally: true, triggers: { sources: sourceHash(projectRoot()) } });
    // relative to the stack's folder cdktf.out/stacks/<stack>, where Terraform runs: the checkout's root wherever it lives
    expect(resources(tf, 'docker_image')[0].build).toMatchObject({ context: '../../..', dockerfile: 'services/Dockerfile', tag: ['cms-lab/cms-service:0.1.0'] });
    expect(path.resolve(projectRoot(), 'cdktf.out', 'stacks', 'lab', '../../..')).toBe(projectRoot());
  });

  it('changes its hash when a source changes, not when a generated file does', () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'cms-image-src-'));
    for (const entry of CMS_IMAGE_SOURCES) cpSync(path.join(projectRoot(), entry), path.join(copy, entry), { recursive: true, filter: (p) => !p.includes(`${path.sep}generated`) });
    const before = sourceHash(copy);
    mkdirSync(path.join(copy, 'services', 'generated'), { recursive: true });
    writeFileSync(path.join(copy, 'services', 'generated', 'x.ts'), '// generated');
    expect(sourceHash(copy)).toBe(before);
    writeFileSync(path.join(copy, 'services', 'main.ts'), '// changed');
    expect(sourceHash(copy)).not.toBe(before);
  });
});
