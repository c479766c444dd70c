import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IdlParseError, parseIdl } from '../../../services/build/idl-parser';
import { renderTypeScript } from '../../../services/build/generate';
import { schema as generated } from '../../../services/generated/messages';

const IDL = readFileSync(path.join(__dirname, '../../../services/idl/messages.idl'), 'utf8');

describe('parseIdl', () => {
  it('parses the canonical messages.idl into the module the services use', () => {
    const schema = parseIdl(IDL);
    expect(schema.module).toBe('cms');
    expect(schema.structs.map((s) => s.name)).toEqual([
      'TraceContext',
      'SourceTrack',
      'TacticalTrack',
      'ThreatAssessment',
      'MissionOrder',
      'EngagementStatus',
    ]);
    const sourceTrack = schema.structs.find((s) => s.name === 'SourceTrack');
    expect(sourceTrack?.fields.filter((f) => f.key).map((f) => f.name)).toEqual(['sensor_id', 'sensor_track_id']);
    expect(sourceTrack?.typeName).toBe('cms::SourceTrack');
    // every message carries the trace context as its last member
    for (const s of schema.structs.filter((x) => x.name !== 'TraceContext')) {
      expect(s.fields.at(-1)).toEqual({ name: 'trace', type: { kind: 'struct', name: 'TraceContext' }, key: false });
    }
  });

  it('is what the build generated (no hand-edited drift)', () => {
    expect(generated).toEqual(parseIdl(IDL));
  });

  it('maps int64 to bigint and sequences to arrays in the TypeScript rendering', () => {
    const ts = renderTypeScript(parseIdl(IDL), IDL);
    expect(ts).toContain('measured_at_ns: bigint;');
    expect(ts).toContain('contributing_sensors: string[];');
    expect(ts).toContain("export const ThreatLevel = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;");
  });

  it.each([
    ['module m { struct S { unknown_t x; }; };', /unknown type 'unknown_t'/],
    ['module m { struct S { long x; long x; }; };', /member 'x' repeated/],
    ['module m { struct S { @key sequence<long> x; }; };', /sequence cannot be a key/],
    ['module m { struct S { sequence<long, 5> x; }; };', /bounded sequences are not supported/],
    ['module m { struct S { @optional long x; }; };', /unsupported annotation '@optional'/],
    ['module m { enum E { A, A }; };', /enum value 'A' repeated/],
    ['module m { union U switch (long) { case 1: long a; }; };', /expected 'struct' or 'enum'/],
    ['module m { struct S { S inner; }; };', /unknown type 'S'/],
    ['module m { struct S { long x; };', /unexpected end of file/],
  ])('rejects %s with a located error', (source, message) => {
    expect(() => parseIdl(source)).toThrow(IdlParseError);
    expect(() => parseIdl(source)).toThrow(message);
  });

  it('reports the line of the error', () => {
    expect(() => parseIdl('module m {\n  struct S {\n    bogus x;\n  };\n};')).toThrow(/messages\.idl:3:/);
  });
});
