/**
 * `aliased(Model)`: a model under another name in FROM (`addresses AS anon_1`), or mapped onto a
 * subquery (`aliased(Address, stmt.subquery())`). It selects like the model (instances of the model,
 * the same object for the same row), joins like it (`join(alias)` along the foreign key, or
 * `join(alias, User.addresses)`), and carries the model's relationships seen from the alias
 * (`alias.addresses`), so joins can start from it.
 */
import { ArgumentError } from '../../errors.js';
import { ENTITY, type EntityInfo, type EntityLike } from '../../sql/entity.js';
import { JOINABLE, type Joinable, type JoinPath } from '../../sql/joinable.js';
import type { RowShape } from '../../sql/row.js';
import { type ColumnCollection, FromClause, Subquery } from '../../sql/selectable.js';
import type { TableAlias, TableClause } from '../../sql/table-clause.js';
import { type ModelClass, mapperOf, registerAlias } from '../mapper.js';
import { adapterFor, inferEntityJoin } from './join-condition.js';
import { Relationship } from './relationship.js';

/** A model class with its table: what `aliased()` accepts. */
export type AliasableModel = ModelClass & { readonly table: TableClause<any, any> };

/** The row shape of a model's table. */
export type ModelRow<M extends AliasableModel> = M['table'] extends TableClause<infer R, any> ? R : RowShape;

/** The relationship statics of a model class, seen from an alias. */
export type AliasedRelationships<M> = { readonly [K in keyof M as M[K] extends Relationship<any> ? K : never]: M[K] };

/** What `aliased()` returns: an entity whose columns are `alias.c.<key>`, with the model's relationships. */
export type AliasedModel<I, R extends RowShape, F extends FromClause = TableAlias<R>> = EntityLike<I> &
  Joinable & {
    /** Column expressions of the alias: `userAlias.c.name`. */
    readonly c: ColumnCollection<R>;
    /** The FROM object: the aliased table (`users AS user_alias`) or the subquery. */
    readonly table: F;
    /** The model the alias stands for. */
    readonly model: ModelClass<I & object>;
    /** The alias name, also the name rows give the entity (`row.user_alias`). */
    readonly name: string;
  };

/**
 * A model under another name, as SQLAlchemy's `aliased()`; with a subquery, the model's rows as that
 * subquery returns them.
 *
 * @example
 * const a1 = aliased(Address), a2 = aliased(Address);
 * select(User.c.name, a1.c.emailAddress, a2.c.emailAddress)
 *   .join(User.addresses.ofType(a1)).join(User.addresses.ofType(a2))
 *   .where(a1.c.emailAddress.eq('jack@google.com'), a2.c.emailAddress.eq('j25@yahoo.com'));
 *
 * const userAlias = aliased(User, { name: 'user_alias' });        // row.user_alias
 * const addr = aliased(Address, select(Address).where(Address.c.emailAddress.ne('j25@yahoo.com')).subquery());
 * select(User, addr).join(addr, User.addresses);
 */
export function aliased<M extends AliasableModel>(model: M, options?: { readonly name?: string }): AliasedModel<InstanceType<M>, ModelRow<M>> & AliasedRelationships<M>;
export function aliased<M extends AliasableModel>(
  model: M,
  selectable: Subquery<any>,
  options?: { readonly name?: string },
): AliasedModel<InstanceType<M>, ModelRow<M>, Subquery<any>> & AliasedRelationships<M>;
export function aliased(
  model: AliasableModel,
  selectableOrOptions?: Subquery<any> | { readonly name?: string },
  maybeOptions: { readonly name?: string } = {},
): unknown {
  const mapper = mapperOf(model);
  const subquery = selectableOrOptions instanceof FromClause ? selectableOrOptions : null;
  const options = subquery === null ? ((selectableOrOptions as { name?: string } | undefined) ?? {}) : maybeOptions;
  if (subquery !== null && !(subquery instanceof Subquery)) throw new ArgumentError('aliased(Model, selectable) takes a subquery: select(...).subquery()');
  const from: FromClause = subquery ?? mapper.table.alias(options.name);
  const adapt = adapterFor(from);
  const columns = mapper.columns.map(adapt);
  const info: EntityInfo = { from, name: options.name ?? mapper.name, columns };
  const alias: Record<PropertyKey, unknown> = {
    // Over a subquery, `alias.c.id` is the model's id as the subquery returns it (`anon_1.id_1` when
    // another table's id comes first), not the subquery's column that happens to be named `id`.
    c: subquery === null ? (from as TableAlias).c : Object.fromEntries(mapper.columns.map((column, i) => [column.key, columns[i]])),
    table: from,
    model,
    name: info.name,
    prototype: model.prototype,
    [ENTITY]: info,
    [JOINABLE]: (froms: readonly FromClause[], target: FromClause | null): JoinPath => inferEntityJoin(froms, target ?? from),
  };
  for (const [key, property] of mapper.relationships) {
    if (property instanceof Relationship) alias[key] = property.fromParent(from);
  }
  registerAlias(alias, model);
  return alias;
}
