/**
 * The shape of a parsed IDL module. The generator (services/build) emits a
 * value of this type from messages.idl; the DDS facade builds koffi struct
 * layouts and sample validators from it, so the wire layout is described once.
 */
export type PrimitiveName =
  | 'string'
  | 'boolean'
  | 'octet'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float'
  | 'double';

export type FieldType =
  | { readonly kind: 'primitive'; readonly name: PrimitiveName }
  | { readonly kind: 'enum'; readonly name: string }
  | { readonly kind: 'struct'; readonly name: string }
  | { readonly kind: 'sequence'; readonly element: FieldType };

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Part of the DDS instance key (`@key`). Key strings must not be empty. */
  readonly key: boolean;
}

export interface StructSpec {
  /** IDL name inside the module, e.g. `SourceTrack`. */
  readonly name: string;
  /** C identifier emitted by idlc, e.g. `cms_SourceTrack`. */
  readonly cName: string;
  /** DDS type name, e.g. `cms::SourceTrack`. */
  readonly typeName: string;
  readonly fields: readonly FieldSpec[];
}

export interface EnumSpec {
  readonly name: string;
  readonly cName: string;
  readonly values: readonly string[];
}

export interface IdlSchema {
  readonly module: string;
  readonly enums: readonly EnumSpec[];
  readonly structs: readonly StructSpec[];
}
