/**
 * The generic dialect behind `String(stmt)`: ANSI quoting and `:name` placeholders, as SQLAlchemy prints
 * a statement that is not bound to a database. It is for reading, never for execution.
 */
import { setStringCompiler } from '../../sql/elements/element.js';
import type { Capabilities, ValueAdapter } from '../dialect.js';
import { postgresqlCapabilities } from '../postgresql/capabilities.js';
import { COMMON_RESERVED } from './identifiers.js';
import { SqlCompiler } from './sql-compiler.js';
import { GENERIC_TYPES, TypeCompiler } from './type-compiler.js';

/**
 * PostgreSQL's, which has every feature the compiler can render, without a driver's parameter limit:
 * the printed form then shows each construct as written.
 */
const CAPABILITIES: Capabilities = { ...postgresqlCapabilities, maxBindParams: Number.MAX_SAFE_INTEGER };

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
