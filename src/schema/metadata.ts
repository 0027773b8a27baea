/**
 * MetaData: the collection of tables that DDL, the ORM's declarative base and autogenerate work from.
 */
import { ArgumentError } from '../errors.js';
import type { Table } from './table.js';

export interface MetaDataOptions {
  /** The default schema of tables that do not name one. */
  readonly schema?: string;
}

export class MetaData {
  readonly schema: string | null;
  readonly #tables = new Map<string, Table>();

  constructor(options: MetaDataOptions = {}) {
    this.schema = options.schema ?? null;
  }

  /** Tables by full name (`schema.name` or `name`), in definition order. */
  get tables(): ReadonlyMap<string, Table> {
    return this.#tables;
  }

  /** @internal called by the Table constructor. */
  add(table: Table): void {
    if (this.#tables.has(table.fullName)) {
      throw new ArgumentError(`table "${table.fullName}" is already defined on this MetaData`);
    }
    this.#tables.set(table.fullName, table);
  }
}
