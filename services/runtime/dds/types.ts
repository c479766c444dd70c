/**
 * koffi layouts, encoders, decoders and validators built from the IDL schema
 * generated out of messages.idl. koffi writes a missing string member as an
 * empty string without complaint, so every sample is validated before it is
 * written and after it is read.
 */
import * as koffi from 'koffi';
import type { EnumSpec, FieldType, IdlSchema, PrimitiveName, StructSpec } from './schema';
import { TopicDescriptorHead } from './ffi';

export interface Rejection {
  /** Dotted path of the offending field, e.g. `trace.traceparent`. */
  readonly field: string;
  readonly reason: 'missing' | 'wrong_type' | 'empty_key' | 'not_finite' | 'out_of_range' | 'unknown_enum_value';
}

const KOFFI_PRIMITIVES: Record<PrimitiveName, string> = {
  string: 'char *',
  boolean: 'bool',
  octet: 'uint8_t',
  int16: 'int16_t',
  uint16: 'uint16_t',
  int32: 'int32_t',
  uint32: 'uint32_t',
  int64: 'int64_t',
  uint64: 'uint64_t',
  float: 'float',
  double: 'double',
};

const INTEGER_RANGES: Partial<Record<PrimitiveName, readonly [number, number]>> = {
  octet: [0, 0xff],
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

const INT64_RANGES: Partial<Record<PrimitiveName, readonly [bigint, bigint]>> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

type Wire = unknown;



interface Codec {
  readonly koffiType: koffi.TypeObject | string;
  validate(value: unknown, path: string, key: boolean, out: Rejection[]): void;
  encode(value: unknown): Wire;
  decode(wire: Wire): unknown;
}

export interface StructCodec<T> {
  readonly spec: StructSpec;
  readonly koffiType: koffi.TypeObject;
  /** Pointer type for `koffi.as(value, pointerType)`. */
  readonly pointerType: koffi.TypeObject;
  /** First problem found, or undefined if the sample can be written. */
  validate(value: unknown): Rejection | undefined;
  encode(value: T): Wire;
  decode(wire: Wire): T;
}

export class TypeRegistry {
  private readonly enums = new Map<string, EnumSpec>();
  private readonly codecs = new Map<string, Codec>();
  private readonly structs = new Map<string, StructCodec<unknown>>();

  constructor(readonly schema: IdlSchema) {
    for (const e of schema.enums) this.enums.set(e.name, e);
    for (const s of schema.structs) this.structCodec(s);
  }

  struct<T>(name: string): StructCodec<T> {
    const codec = this.structs.get(name);
    if (!codec) throw new Error(`no struct '${name}' in IDL module '${this.schema.module}'`);
    return codec as StructCodec<T>;
  }

  private fieldCodec(type: FieldType): Codec {
    switch (type.kind) {
      case 'primitive':
        return primitiveCodec(type.name);
      case 'enum': {
        const spec = this.enums.get(type.name);
        if (!spec) throw new Error(`unknown enum ${type.name}`);
        return enumCodec(spec);
      }
      case 'struct': {
        const codec = this.codecs.get(type.name);
        if (!codec) throw new Error(`struct ${type.name} used before its declaration`);
        return codec;
      }
      case 'sequence':
        return this.sequenceCodec(type.element);
    }
  }

  private sequenceCodec(element: FieldType): Codec {
    const inner = this.fieldCodec(element);
    // anonymous layouts throughout: koffi type names are process-global
    const seqType = koffi.struct({
      _maximum: 'uint32_t',
      _length: 'uint32_t',
      _buffer: koffi.pointer(inner.koffiType),
      _release: 'bool',
    });
    return {
      koffiType: seqType,
      validate(value, path, _key, out) {
        if (value === undefined || value === null) {
          out.push({ field: path, reason: 'missing' });
          return;
        }
        if (!Array.isArray(value)) {
          out.push({ field: path, reason: 'wrong_type' });
          return;
        }
        value.forEach((item, i) => inner.validate(item, `${path}[${i}]`, false, out));
      },
      encode(value) {
        const items = (value as unknown[]).map((item) => inner.encode(item));
        return { _maximum: items.length, _length: items.length, _buffer: items.length ? items : null, _release: false };
      },
      decode(wire) {
        const seq = wire as { _length: number; _buffer: unknown };
        if (!seq || seq._length === 0 || !seq._buffer) return [];
        const items = koffi.decode(seq._buffer, inner.koffiType, seq._length) as unknown[];
        return items.map((item) => inner.decode(item));
      },
    };
  }

  private structCodec(spec: StructSpec): StructCodec<unknown> {
    const fields = spec.fields.map((f) => ({ spec: f, codec: this.fieldCodec(f.type) }));
    const koffiType = koffi.struct(Object.fromEntries(fields.map((f) => [f.spec.name, f.codec.koffiType])));
    const validateInto = (value: unknown, path: string, out: Rejection[]) => {
      if (value === undefined || value === null) {
        out.push({ field: path || spec.name, reason: 'missing' });
        return;
      }
      if (typeof value !== 'object' || Array.isArray(value)) {
        out.push({ field: path || spec.name, reason: 'wrong_type' });
        return;
      }
      const record = value as Record<string, unknown>;
      for (const f of fields) {
        f.codec.validate(record[f.spec.name], path ? `${path}.${f.spec.name}` : f.spec.name, f.spec.key, out);
        if (out.length) return;
      }
    };
    const codec: Codec = {
      koffiType,
      validate: (value, path, _key, out) => validateInto(value, path, out),
      encode(value) {
        const record = value as Record<string, unknown>;
        const wire: Record<string, unknown> = {};
        for (const f of fields) wire[f.spec.name] = f.codec.encode(record[f.spec.name]);
        return wire;
      },
      decode(wire) {
        const record = wire as Record<string, unknown>;
        const value: Record<string, unknown> = {};
        for (const f of fields) value[f.spec.name] = f.codec.decode(record[f.spec.name]);
        return value;
      },
    };
    this.codecs.set(spec.name, codec);
    const structCodec: StructCodec<unknown> = {
      spec,
      koffiType,
      pointerType: koffi.pointer(koffiType),
      validate(value) {
        const out: Rejection[] = [];
        validateInto(value, '', out);
        return out[0];
      },
      encode: (value) => codec.encode(value),
      decode: (wire) => codec.decode(wire),
    };
    this.structs.set(spec.name, structCodec);
    return structCodec;
  }
}

function primitiveCodec(name: PrimitiveName): Codec {
  const koffiType = KOFFI_PRIMITIVES[name];
  if (name === 'string') {
    return {
      koffiType,
      validate(value, path, key, out) {
        if (value === undefined || value === null) out.push({ field: path, reason: 'missing' });
        else if (typeof value !== 'string') out.push({ field: path, reason: 'wrong_type' });
        else if (key && value.length === 0) out.push({ field: path, reason: 'empty_key' });
      },
      encode: (value) => value,
      // a NULL char* decodes as null: keep it so the reader-side validation rejects it
      decode: (wire) => wire,
    };
  }
  if (name === 'boolean') {
    return {
      koffiType,
      validate(value, path, _key, out) {
        if (value === undefined || value === null) out.push({ field: path, reason: 'missing' });
        else if (typeof value !== 'boolean') out.push({ field: path, reason: 'wrong_type' });
      },
      encode: (value) => value,
      decode: (wire) => Boolean(wire),
    };
  }
  const int64Range = INT64_RANGES[name];
  if (int64Range) {
    return {
      koffiType,
      validate(value, path, _key, out) {
        if (value === undefined || value === null) out.push({ field: path, reason: 'missing' });
        else if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isSafeInteger(value))) {
          out.push({ field: path, reason: 'wrong_type' });
        } else {
          const big = BigInt(value);
          if (big < int64Range[0] || big > int64Range[1]) out.push({ field: path, reason: 'out_of_range' });
        }
      },
      encode: (value) => BigInt(value as bigint),
      // koffi returns small int64 values as numbers and large ones as BigInt
      decode: (wire) => BigInt(wire as bigint | number),
    };
  }
  const intRange = INTEGER_RANGES[name];
  return {
    koffiType,
    validate(value, path, _key, out) {
      if (value === undefined || value === null) out.push({ field: path, reason: 'missing' });
      else if (typeof value !== 'number') out.push({ field: path, reason: 'wrong_type' });
      else if (!Number.isFinite(value)) out.push({ field: path, reason: 'not_finite' });
      else if (intRange && (!Number.isInteger(value) || value < intRange[0] || value > intRange[1])) {
        out.push({ field: path, reason: 'out_of_range' });
      }
    },
    encode: (value) => value,
    decode: (wire) => wire,
  };
}

function enumCodec(spec: EnumSpec): Codec {
  return {
    koffiType: 'int32_t',
    validate(value, path, _key, out) {
      if (value === undefined || value === null) out.push({ field: path, reason: 'missing' });
      else if (typeof value !== 'string') out.push({ field: path, reason: 'wrong_type' });
      else if (!spec.values.includes(value)) out.push({ field: path, reason: 'unknown_enum_value' });
    },
    encode: (value) => spec.values.indexOf(value as string),
    // an out-of-range ordinal decodes as undefined and fails reader-side validation
    decode: (wire) => spec.values[wire as number],
  };
}

/** The generated type-support library with its descriptors, checked against the koffi layouts. */
export class TypeSupport {
  private readonly library: koffi.LibraryHandle;

  constructor(
    libraryPath: string,
    readonly registry: TypeRegistry,
  ) {
    try {
      this.library = koffi.load(libraryPath);
    } catch (error) {
      throw new Error(
        `cannot load the generated DDS type support '${libraryPath}' (${(error as Error).message}); run 'npm run build' first`,
      );
    }
  }

  /**
   * Pointer to `<cName>_desc`, after checking that the koffi layout has the
   * size, alignment and type name idlc compiled, so a drift between the IDL
   * and the generated code fails at start-up instead of corrupting samples.
   */
  descriptor(structName: string): unknown {
    const codec = this.registry.struct(structName);
    const pointer = this.library.symbol(`${codec.spec.cName}_desc`, koffi.opaque());
    const head = koffi.decode(pointer, TopicDescriptorHead) as { m_size: number; m_align: number; m_typename: string };
    const size = koffi.sizeof(codec.koffiType);
    const align = koffi.alignof(codec.koffiType);
    if (head.m_size !== size || head.m_align !== align || head.m_typename !== codec.spec.typeName) {
      throw new Error(
        `layout mismatch for ${codec.spec.typeName}: descriptor says ${head.m_typename} size ${head.m_size} align ${head.m_align}, ` +
          `koffi layout has size ${size} align ${align}; rebuild with 'npm run build'`,
      );
    }
    return pointer;
  }
}
