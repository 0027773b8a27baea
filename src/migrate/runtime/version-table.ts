/**
 * The version table: one row per head the database is at, in Alembic's shape
 * (`alembic_version(version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))`)
 * so a project can move between Alembic and tsmig. Its statements are ordinary schema and DML elements,
 * executed online or compiled with literal values for an offline script.
 */
import type { Dialect } from '../../dialects/dialect.js';
import { catalogQuery } from '../../engine/catalog-query.js';
import type { Connection } from '../../engine/connection.js';
import { column } from '../../schema/column.js';
import { PrimaryKeyConstraint } from '../../schema/constraints.js';
import { CreateTable, type DdlElement } from '../../schema/ddl.js';
import { MetaData } from '../../schema/metadata.js';
import { Table } from '../../schema/table.js';
import { bindparam } from '../../sql/elements/conjunctions.js';
import type { ClauseElement } from '../../sql/elements/element.js';
import { delete_ } from '../../sql/statements/delete.js';
import { insert } from '../../sql/statements/insert.js';
import { select } from '../../sql/statements/select.js';
import { update } from '../../sql/statements/update.js';
import { t } from '../../types/index.js';
import type { MigrationStep } from '../script/revision.js';
import { VersionTableError } from './errors.js';

/** How a step changes the version table (`MigrationStep['versionChange']`). */
export type VersionChange = MigrationStep['versionChange'];

/** One statement of a version change, with what it must do for the check after it. */
interface VersionStatement {
  readonly statement: ClauseElement;
  readonly params: Record<string, unknown>;
  /** Rows it must touch (1 for UPDATE and DELETE, as Alembic checks), or null for INSERT. */
  readonly expectRows: 1 | null;
  /** For the error message: `updating 'a' to 'b'`. */
  readonly describe: string;
}

/**
 * The table of the migration lock's row beside a version table, where the lock is a row (a Galera
 * cluster, see galera-lock.ts). Like the version table, it is tsmig's and never part of the models.
 */
export function lockTableName(versionTableName: string): string {
  return `${versionTableName}_lock`;
}

/** The history table of a version table (runtime/revision-history.ts): the checksums of applied revisions. */
export function historyTableName(versionTableName: string): string {
  return `${versionTableName}_history`;
}

/**
 * The journal table of a version table (runtime/run-journal.ts): where DDL commits as it runs (MySQL),
 * the migration a run has started and not yet recorded.
 */
export function journalTableName(versionTableName: string): string {
  return `${versionTableName}_journal`;
}

/** Whether a table is one of tsmig's own beside the models: the version table, its lock, history or journal table. */
export function isTsmigTable(versionTable: { readonly name: string; readonly schema: string | null }, name: string, schema: string | null): boolean {
  return schema === versionTable.schema && tsmigTableNames(versionTable.name).includes(name);
}

/** The version table's name and those of the tables tsmig keeps beside it. */
export function tsmigTableNames(versionTableName: string): readonly string[] {
  return [versionTableName, lockTableName(versionTableName), historyTableName(versionTableName), journalTableName(versionTableName)];
}

/**
 * The version table of one database.
 *
 * @example
 * ```ts
 * const vt = new VersionTable('alembic_version', null);
 * await vt.apply(conn, { update: ['a1', 'b2'], delete: [], insert: [] });
 * vt.offlineStatements(dialect, { update: null, delete: [], insert: ['a1'] });
 * // ["INSERT INTO alembic_version (version_num) VALUES ('a1')"]
 * ```
 */
export class VersionTable {
  readonly name: string;
  readonly schema: string | null;
  readonly table: Table;
  readonly #select: ClauseElement;
  readonly #update: ClauseElement;
  readonly #delete: ClauseElement;
  readonly #insert: ClauseElement;

  constructor(name: string, schema: string | null) {
    this.name = name;
    this.schema = schema;
    this.table = new Table(
      name,
      new MetaData(),
      { version_num: column(t.String(32), { nullable: false }) },
      {
        ...(schema === null ? {} : { schema }),
        constraints: (c) => [new PrimaryKeyConstraint([c.version_num], { name: `${name}_pkc` })],
      },
    );
    const versionNum = this.table.c['version_num']!;
    // Built once with named parameters: each compiles once and runs as a prepared statement.
    this.#select = select(versionNum);
    this.#update = update(this.table)
      .values({ version_num: bindparam('to_version') })
      .where(versionNum.eq(bindparam('from_version')));
    this.#delete = delete_(this.table).where(versionNum.eq(bindparam('version')));
    this.#insert = insert(this.table).values({ version_num: bindparam('version') });
  }

  /** `schema.name` or `name`, for messages and lock keys. */
  get fullName(): string {
    return this.schema === null ? this.name : `${this.schema}.${this.name}`;
  }

  /** `CREATE TABLE alembic_version (...)`. */
  createDdl(): DdlElement {
    return new CreateTable(this.table);
  }

  /** Whether the table exists (one catalog query). */
  async exists(conn: Connection): Promise<boolean> {
    const names = await conn.dialect.reflection.tableNames(catalogQuery(conn), this.schema);
    return names.includes(this.name);
  }

  /** The versions in the table, sorted; empty when the table does not exist yet (`exists` false). */
  async readHeads(conn: Connection): Promise<string[]> {
    const rows = (await conn.execute(this.#select)).scalars().all() as string[];
    return rows.sort();
  }

  /** Creates the table when it is missing; returns whether it did. */
  async ensure(conn: Connection): Promise<boolean> {
    if (await this.exists(conn)) return false;
    await conn.execute(this.createDdl());
    return true;
  }

  /**
   * Applies one step's change, checking that each UPDATE and DELETE touched exactly one row, as Alembic
   * does: anything else means the table does not say what the plan assumed (edited by hand, or another
   * process got there first), and going on would record a state the database is not in.
   */
  async apply(conn: Connection, change: VersionChange): Promise<void> {
    for (const item of this.#statements(change)) {
      const result = await conn.execute(item.statement, item.params);
      if (item.expectRows !== null && result.rowCount !== item.expectRows) {
        throw new VersionTableError(
          `Expected to match one row when ${item.describe} in ${this.fullName}, but ${result.rowCount} matched. ` +
            `The table does not hold what the migration plan assumed; check it with \`tsmig current\`.`,
        );
      }
    }
  }

  /** Deletes every row (`stamp --purge`). */
  purgeStatement(): ClauseElement {
    return delete_(this.table);
  }

  /** The statements of a change as SQL with literal values, for an offline script. */
  offlineStatements(dialect: Dialect, change: VersionChange): string[] {
    return this.#statements(change).map((item) => {
      const statement = this.#literalStatement(item);
      return dialect.compile(statement, { literalBinds: true }).sql;
    });
  }

  /** DELETEs first (a merge's parents), then the UPDATE, then INSERTs (a new branch). */
  #statements(change: VersionChange): VersionStatement[] {
    const out: VersionStatement[] = [];
    for (const version of change.delete) {
      out.push({ statement: this.#delete, params: { version }, expectRows: 1, describe: `deleting '${version}'` });
    }
    if (change.update !== null) {
      const [from, to] = change.update;
      out.push({
        statement: this.#update,
        params: { from_version: from, to_version: to },
        expectRows: 1,
        describe: `updating '${from}' to '${to}'`,
      });
    }
    for (const version of change.insert) {
      out.push({ statement: this.#insert, params: { version }, expectRows: null, describe: `inserting '${version}'` });
    }
    return out;
  }

  /** The same statement with its values fixed in, for literal compilation. */
  #literalStatement(item: VersionStatement): ClauseElement {
    const versionNum = this.table.c['version_num']!;
    const p = item.params as Record<string, string>;
    if (item.statement === this.#update) {
      return update(this.table).values({ version_num: p['to_version']! }).where(versionNum.eq(p['from_version']!));
    }
    if (item.statement === this.#delete) return delete_(this.table).where(versionNum.eq(p['version']!));
    return insert(this.table).values({ version_num: p['version']! });
  }
}

/**
 * Keeps a version table in step with a run. Written after every migration, as Alembic does, unless the
 * whole run is one transaction on a database whose DDL is transactional: then nobody can see the steps in
 * between, so the steps' changes are composed and written once, just before the transaction commits — one
 * statement per migration instead of two, which on a server is a round trip and a socket write each.
 * Composing keeps Alembic's check: each row the run found is updated or deleted by the value the plan
 * assumed it holds, and must match exactly one row.
 */
export class VersionWriter {
  readonly #table: VersionTable;
  readonly #connection: Connection;
  readonly #deferred: boolean;
  /** Rows the table holds that the run deleted. */
  #deleted: string[] = [];
  /** Each head the run reached, with the row it replaces in the table (null: a row to insert). */
  #moved = new Map<string, string | null>();

  constructor(table: VersionTable, connection: Connection, deferred: boolean) {
    this.#table = table;
    this.#connection = connection;
    this.#deferred = deferred;
  }

  /** A step ran: write its change now, or compose it for {@link flush}. */
  async record(change: VersionChange): Promise<void> {
    if (!this.#deferred) return this.#table.apply(this.#connection, change);
    for (const version of change.delete) {
      if (!this.#moved.has(version)) this.#deleted.push(version);
      else {
        const row = this.#moved.get(version)!;
        this.#moved.delete(version);
        if (row !== null) this.#deleted.push(row);
      }
    }
    if (change.update !== null) {
      const [from, to] = change.update;
      const row = this.#moved.has(from) ? this.#moved.get(from)! : from;
      this.#moved.delete(from);
      this.#moved.set(to, row);
    }
    for (const version of change.insert) this.#moved.set(version, null);
  }

  /** Another run moved the table, and this one plans again from what it holds: nothing is pending. */
  found(): void {
    this.#deleted = [];
    this.#moved.clear();
  }

  /** Writes the composed change: DELETEs, one UPDATE per row that moved, then INSERTs. */
  async flush(): Promise<void> {
    const updates: [string, string][] = [];
    const inserts: string[] = [];
    for (const [head, row] of this.#moved) {
      if (row === null) inserts.push(head);
      else if (row !== head) updates.push([row, head]);
    }
    const deleted = this.#deleted;
    this.found();
    if (deleted.length > 0) await this.#table.apply(this.#connection, { update: null, delete: deleted, insert: [] });
    for (const update of updates) await this.#table.apply(this.#connection, { update, delete: [], insert: [] });
    if (inserts.length > 0) await this.#table.apply(this.#connection, { update: null, delete: [], insert: inserts });
  }
}
