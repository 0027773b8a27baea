/**
 * The generic dialect behind `String(stmt)`: ANSI quoting and `:name` placeholders, as SQLAlchemy prints
 * a statement that is not bound to a database. It is for reading, never for execution.
 */
import { setStringCompiler } from '../../sql/elements/element.js';
import type { Capabilities, ValueAdapter } from '../dialect.js';
import { COMMON_RESERVED } from './identifiers.js';
import { SqlCompiler } from './sql-compiler.js';
import { GENERIC_TYPES, TypeCompiler } from './type-compiler.js';

const CAPABILITIES: Capabilities = {
  transactionalDdl: true,
  insertReturning: true,
  updateReturning: true,
  deleteReturning: true,
  multiRowInsert: true,
  maxBindParams: Number.MAX_SAFE_INTEGER,
  fullOuterJoin: true,
  nullsOrdering: true,
  schemas: true,
  nativeBoolean: true,
  alterConstraints: true,
  alterColumns: true,
  concurrentIndexes: true,
  forwardForeignKeys: false,
  enumTypes: true,
  expressionIndexes: true,
};

const NO_CONVERSION: ValueAdapter = { bind: () => null, result: () => null };

export class GenericSqlCompiler extends SqlCompiler {
  protected readonly quoteChar = '"';
  protected readonly reserved = COMMON_RESERVED;

  constructor() {
    super(CAPABILITIES, NO_CONVERSION, new TypeCompiler(null, GENERIC_TYPES));
  }

  protected placeholder(name: string): string {
    return `:${name}`;
  }
}

const generic = new GenericSqlCompiler();
setStringCompiler((element) => generic.compile(element).sql);
