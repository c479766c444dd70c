import type { EnumSpec, FieldSpec, FieldType, IdlSchema, PrimitiveName, StructSpec } from '../runtime/dds/schema';

/**
 * Parser for the subset of OMG IDL 4 that messages.idl uses: one module,
 * enums, structs, `@key` members, primitives, strings, nested structs and
 * unbounded sequences. Anything else is rejected with its line number, so
 * an unsupported construct never turns into a silently wrong wire layout.
 */

const PRIMITIVES: Record<string, PrimitiveName> = {
  string: 'string',
  boolean: 'boolean',
  octet: 'octet',
  short: 'int16',
  'unsigned short': 'uint16',
  long: 'int32',
  'unsigned long': 'uint32',
  'long long': 'int64',
  'unsigned long long': 'uint64',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  uint64: 'uint64',
  float: 'float',
  double: 'double',
};

interface Token {
  text: string;
  line: number;
}

export class IdlParseError extends Error {
  constructor(message: string, readonly line: number) {
    super(`messages.idl:${line}: ${message}`);
    this.name = 'IdlParseError';
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\n') {
      line++;
      i++;
    } else if (/\s/.test(ch)) {
      i++;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new IdlParseError('unterminated block comment', line);
      line += source.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (/[A-Za-z_@]/.test(ch)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_]/.test(source[j])) j++;
      tokens.push({ text: source.slice(i, j), line });
      i = j;
    } else if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < source.length && /[0-9]/.test(source[j])) j++;
      tokens.push({ text: source.slice(i, j), line });
      i = j;
    } else if ('{};<>,:()'.includes(ch)) {
      tokens.push({ text: ch, line });
      i++;
    } else {
      throw new IdlParseError(`unexpected character '${ch}'`, line);
    }
  }
  return tokens;
}

class Cursor {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  next(): Token {
    const token = this.tokens[this.index++];
    if (!token) {
      const last = this.tokens[this.tokens.length - 1];
      throw new IdlParseError('unexpected end of file', last ? last.line : 1);
    }
    return token;
  }

  expect(text: string): Token {
    const token = this.next();
    if (token.text !== text) throw new IdlParseError(`expected '${text}' but found '${token.text}'`, token.line);
    return token;
  }

  identifier(): Token {
    const token = this.next();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(token.text)) {
      throw new IdlParseError(`expected an identifier but found '${token.text}'`, token.line);
    }
    return token;
  }

  done(): boolean {
    return this.index >= this.tokens.length;
  }
}

export function parseIdl(source: string): IdlSchema {
  const cursor = new Cursor(tokenize(source));
  cursor.expect('module');
  const moduleName = cursor.identifier().text;
  cursor.expect('{');

  const enums: EnumSpec[] = [];
  const structs: StructSpec[] = [];
  const declared = new Map<string, 'enum' | 'struct'>();

  const declare = (name: Token, kind: 'enum' | 'struct') => {
    if (declared.has(name.text)) throw new IdlParseError(`'${name.text}' is declared twice`, name.line);
    declared.set(name.text, kind);
  };

  const parseType = (): FieldType => {
    const first = cursor.next();
    if (first.text === 'sequence') {
      cursor.expect('<');
      const element = parseType();
      const close = cursor.next();
      if (close.text === ',') {
        throw new IdlParseError('bounded sequences are not supported', close.line);
      }
      if (close.text !== '>') throw new IdlParseError(`expected '>' but found '${close.text}'`, close.line);
      return { kind: 'sequence', element };
    }
    let name = first.text;
    // multi-word primitives: unsigned short/long, long long, unsigned long long
    while (
      (name === 'unsigned' || name === 'long' || name === 'unsigned long') &&
      (cursor.peek()?.text === 'long' || cursor.peek()?.text === 'short')
    ) {
      name = `${name} ${cursor.next().text}`;
    }
    const primitive = PRIMITIVES[name];
    if (primitive) return { kind: 'primitive', name: primitive };
    const kind = declared.get(name);
    if (!kind) throw new IdlParseError(`unknown type '${name}' (declare it before use)`, first.line);
    return { kind, name };
  };

  while (cursor.peek()?.text !== '}') {
    const keyword = cursor.next();
    if (keyword.text === 'enum') {
      const name = cursor.identifier();
      declare(name, 'enum');
      cursor.expect('{');
      const values: string[] = [];
      for (;;) {
        const value = cursor.identifier();
        if (values.includes(value.text)) throw new IdlParseError(`enum value '${value.text}' repeated`, value.line);
        values.push(value.text);
        const sep = cursor.next();
        if (sep.text === '}') break;
        if (sep.text !== ',') throw new IdlParseError(`expected ',' or '}' but found '${sep.text}'`, sep.line);
      }
      cursor.expect(';');
      enums.push({ name: name.text, cName: `${moduleName}_${name.text}`, values });
    } else if (keyword.text === 'struct') {
      const name = cursor.identifier();
      cursor.expect('{');
      const fields: FieldSpec[] = [];
      while (cursor.peek()?.text !== '}') {
        let key = false;
        while (cursor.peek()?.text.startsWith('@')) {
          const annotation = cursor.next();
          if (annotation.text !== '@key') {
            throw new IdlParseError(`unsupported annotation '${annotation.text}'`, annotation.line);
          }
          key = true;
        }
        const type = parseType();
        const fieldName = cursor.identifier();
        if (fields.some((f) => f.name === fieldName.text)) {
          throw new IdlParseError(`member '${fieldName.text}' repeated in ${name.text}`, fieldName.line);
        }
        if (key && type.kind === 'sequence') throw new IdlParseError('a sequence cannot be a key', fieldName.line);
        cursor.expect(';');
        fields.push({ name: fieldName.text, type, key });
      }
      cursor.expect('}');
      cursor.expect(';');
      if (fields.length === 0) throw new IdlParseError(`struct ${name.text} is empty`, name.line);
      // declared after its members so a struct cannot contain itself
      declare(name, 'struct');
      structs.push({
        name: name.text,
        cName: `${moduleName}_${name.text}`,
        typeName: `${moduleName}::${name.text}`,
        fields,
      });
    } else {
      throw new IdlParseError(`expected 'struct' or 'enum' but found '${keyword.text}'`, keyword.line);
    }
  }
  cursor.expect('}');
  cursor.expect(';');
  if (!cursor.done()) {
    const extra = cursor.next();
    throw new IdlParseError(`unexpected '${extra.text}' after the module`, extra.line);
  }
  return { module: moduleName, enums, structs };
}
