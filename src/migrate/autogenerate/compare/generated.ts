/**
 * Identity and computed (generated) columns. An identity compares where the database has identity
 * columns (PostgreSQL): a model column that states one must have it with the same options; one that
 * does not may be SERIAL or an identity as long as the database generates its values. A computed
 * column compares its kind and its expression, the expression loosely (as Alembic does: without white
 * space, parentheses, quotes and case, after the dialect's own rewrites such as PostgreSQL's casts),
 * since databases store it in their own spelling.
 */
import type { Column, ComputedOptions, IdentityOptions } from '../../../schema/column.js';
import type { ReflectedColumn } from '../../../schema/reflected.js';
import type { DialectImpl } from '../../impl/impl.js';

const IDENTITY_KEYS = ['always', 'start', 'increment', 'minValue', 'maxValue', 'cache', 'cycle'] as const satisfies readonly (keyof IdentityOptions)[];

/** `BY DEFAULT`, `ALWAYS (start 10, increment 5)`, or `none`. */
export function describeIdentity(identity: IdentityOptions | null | undefined): string {
  if (identity == null) return 'no identity';
  const options = IDENTITY_KEYS.filter((k) => k !== 'always' && identity[k] !== undefined && identity[k] !== false).map((k) => `${k} ${String(identity[k])}`);
  return `identity ${identity.always === true ? 'ALWAYS' : 'BY DEFAULT'}${options.length === 0 ? '' : ` (${options.join(', ')})`}`;
}

function sameIdentity(a: IdentityOptions, b: IdentityOptions): boolean {
  return IDENTITY_KEYS.every((k) => {
    const [x, y] = [a[k], b[k]];
    if (k === 'always' || k === 'cycle') return (x === true) === (y === true);
    return x === undefined || y === undefined ? x === y : BigInt(x as number | bigint) === BigInt(y as number | bigint);
  });
}

/**
 * The identity the column should get (null: none), or undefined when it agrees with the database.
 * A model column without `identity` accepts an identity column as its autoincrement key.
 */
export function compareIdentity(impl: DialectImpl, column: Column, reflected: ReflectedColumn): { readonly value: IdentityOptions | null } | undefined {
  if (!impl.reflects.identity) return undefined;
  const mine = column.options.identity;
  const theirs = reflected.identity;
  if (mine === undefined) return theirs !== undefined && !impl.modelAutoincrement(column) ? { value: null } : undefined;
  return theirs !== undefined && sameIdentity(mine, theirs) ? undefined : { value: mine };
}

/** `GENERATED ALWAYS AS (a * b) STORED`, or `not generated`. */
export function describeComputed(impl: DialectImpl, computed: ComputedOptions | undefined): string {
  if (computed === undefined) return 'not generated';
  return `generated as (${computed.sqltext}) ${persisted(impl, computed) ? 'STORED' : 'VIRTUAL'}`;
}

function persisted(impl: DialectImpl, computed: ComputedOptions): boolean {
  return computed.persisted ?? impl.reflects.computedPersistedByDefault;
}

/** The expression in the loose form both sides compare in. */
function looseSql(impl: DialectImpl, sql: string): string {
  return impl.normalizeExpression(sql).replace(/[\s()'"`[\]]/g, '').toLowerCase();
}

/** True when the model's and the database's generated-column clauses differ (one of them may be none). */
export function computedDiffers(impl: DialectImpl, model: ComputedOptions | undefined, reflected: ComputedOptions | undefined): boolean {
  if (model === undefined || reflected === undefined) return model !== reflected;
  return persisted(impl, model) !== persisted(impl, reflected) || looseSql(impl, model.sqltext) !== looseSql(impl, reflected.sqltext);
}
