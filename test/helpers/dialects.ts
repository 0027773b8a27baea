/**
 * The single source of the dialect list for integration tests. SQLite always runs (a temporary database
 * file per test run); PostgreSQL and MySQL run when their URL variable is set, and otherwise print one
 * line saying which variable to set. With `TSMIG_TEST_ALL_DIALECTS=1` (set by `.ci/run`) a missing URL
 * fails the run instead, so CI can never pass by skipping a database.
 *
 * @example
 * ```ts
 * import { forEachDialect } from '../helpers/dialects.js';
 *
 * forEachDialect('engine', (dialect) => {          // describe('postgresql: engine', ...)
 *   let engine: Engine;
 *   before(() => { engine = createEngine(dialect.url); });
 *   after(() => engine.dispose());
 *   it('selects 1', async () => { ... });
 * });
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The dialects tsmig supports, spelled as `dialect.name` and the `src/dialects/` folders. */
export type TestDialectName = 'sqlite' | 'postgresql' | 'mysql';

/** One database the integration tests run against. */
export interface TestDialect {
  readonly name: TestDialectName;
  /** The database URL to hand to `createEngine`. It may carry a password: print it only redacted. */
  readonly url: string;
}

/** Every dialect, in the order the suites run. */
export const ALL_DIALECT_NAMES: readonly TestDialectName[] = ['sqlite', 'postgresql', 'mysql'];

/** The environment variables this helper reads. */
export const TEST_ENV = {
  /** Overrides the SQLite URL (default: a file in a fresh temporary directory, removed at exit). */
  sqlite: 'TSMIG_TEST_SQLITE_URL',
  /** PostgreSQL URL; its tests are skipped when unset. */
  postgresql: 'TSMIG_TEST_POSTGRESQL_URL',
  /** MySQL / MariaDB URL; its tests are skipped when unset. */
  mysql: 'TSMIG_TEST_MYSQL_URL',
  /** `1`: every dialect is mandatory and a missing URL is an error (CI). */
  allDialects: 'TSMIG_TEST_ALL_DIALECTS',
} as const;

/** Example URLs for the skip message, matching the local servers described in README.md. */
const EXAMPLE_URL: Readonly<Record<'postgresql' | 'mysql', string>> = {
  postgresql: 'postgresql://postgres@127.0.0.1:5432/tsmig_test',
  mysql: 'mysql://root@127.0.0.1:3306/tsmig_test',
};

/** The outcome of reading the environment: the dialects to run and those skipped, with why. */
export interface DialectSelection {
  readonly dialects: readonly TestDialect[];
  readonly skipped: readonly { readonly name: TestDialectName; readonly message: string }[];
}

/**
 * Decides which dialects run, from an environment. Pure, so it is tested without touching `process.env`.
 *
 * @param sqliteUrl the SQLite URL to use when `TSMIG_TEST_SQLITE_URL` is not set.
 * @throws Error when `TSMIG_TEST_ALL_DIALECTS=1` and a URL is missing.
 */
export function selectDialects(env: Readonly<Record<string, string | undefined>>, sqliteUrl: () => string): DialectSelection {
  const dialects: TestDialect[] = [{ name: 'sqlite', url: nonEmpty(env[TEST_ENV.sqlite]) ?? sqliteUrl() }];
  const skipped: { name: TestDialectName; message: string }[] = [];
  const missing: string[] = [];
  for (const name of ['postgresql', 'mysql'] as const) {
    const url = nonEmpty(env[TEST_ENV[name]]);
    if (url !== undefined) dialects.push({ name, url });
    else {
      missing.push(TEST_ENV[name]);
      skipped.push({
        name,
        message: `${name} tests skipped: set ${TEST_ENV[name]} (e.g. ${EXAMPLE_URL[name]}) to run them`,
      });
    }
  }
  if (env[TEST_ENV.allDialects] === '1' && missing.length > 0) {
    throw new Error(
      `${TEST_ENV.allDialects}=1 requires every dialect, but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set (.ci/run sets them)`,
    );
  }
  return { dialects, skipped };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A SQLite database file in a temporary directory that is removed when the process exits. */
function temporarySqliteUrl(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsmig-test-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  // SQLAlchemy's URL form: `sqlite:///` followed by the path, so an absolute path gives four slashes.
  return `sqlite:///${path.join(dir, 'test.db')}`;
}

const selection = selectDialects(process.env, temporarySqliteUrl);

// One line per skipped dialect, once per run: this module is evaluated once per mocha process.
for (const { message } of selection.skipped) process.stdout.write(`${message}\n`);

/** The dialects this run tests against: SQLite always, PostgreSQL and MySQL when their URL is set. */
export const dialects: readonly TestDialect[] = selection.dialects;

/** The dialects skipped in this run (empty under `TSMIG_TEST_ALL_DIALECTS=1`). */
export const skippedDialects: readonly TestDialectName[] = selection.skipped.map((s) => s.name);

/**
 * Declares one mocha `describe` per available dialect, titled `<dialect>: <title>`.
 *
 * @example
 * ```ts
 * forEachDialect('upgrade', (dialect) => {
 *   it('creates the version table', async () => { ... dialect.url ... });
 * });
 * ```
 */
export function forEachDialect(title: string, body: (this: Mocha.Suite, dialect: TestDialect) => void): void {
  for (const dialect of dialects) {
    describe(`${dialect.name}: ${title}`, function () {
      body.call(this, dialect);
    });
  }
}

/** The dialect of this run with the given name, or undefined when it is skipped. */
export function findDialect(name: TestDialectName): TestDialect | undefined {
  return dialects.find((d) => d.name === name);
}

/**
 * The tables tsmig keeps beside the models after a run, sorted: the version and history tables, and
 * where DDL commits as it runs (MySQL) the run journal.
 */
export function tsmigTables(name: TestDialectName): string[] {
  return ['alembic_version', 'alembic_version_history', ...(name === 'mysql' ? ['alembic_version_journal'] : [])];
}
