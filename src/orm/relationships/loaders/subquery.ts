/**
 * `lazy: 'subquery'` / `subqueryload()`: after the query, one SELECT per level joining the target to
 * the original query reduced to the parents' keys, so the parents' criteria run again in the database
 * instead of travelling as an IN list. Nested subquery loads nest the previous level's statement.
 *
 *   SELECT movies.* FROM movies JOIN (SELECT DISTINCT directors.id AS key_0 FROM directors WHERE ...) AS anon_1
 *     ON anon_1.key_0 = movies.director_id ORDER BY movies.id
 */
import type { ColumnElement } from '../../../sql/elements/column-element.js';
import { Select, select } from '../../../sql/statements/select.js';
import { adapterFor, pairsEqual } from '../join-condition.js';
import { identityMapOrRaise } from './lazy.js';
import { ParentGroups, collectRelated, loadRelated, parentsToLoad } from './selectin.js';
import type { LoaderStrategy } from './strategy.js';

export const subqueryLoader: LoaderStrategy = {
  name: 'subquery',
  eager: 'post',
  unloaded: identityMapOrRaise,
  async load(context, node, parents) {
    const { statement: original, parentFrom } = context;
    const config = node.config;
    // Objects loaded without a query of their own have no statement to nest: load them by key.
    if (original === null || parentFrom === null) return loadRelated(context, config, parents, context.childOptions(node), { force: false });
    const { todo, rest } = parentsToLoad(config, parents, false);
    if (todo.length === 0) return rest;
    const c = config.condition;
    const keys = c.local.map(adapterFor(parentFrom));
    const state = original.state;
    const limited = state.limit !== null || state.offset !== null;
    // LIMIT needs the query's own order to pick the same parents; without one, DISTINCT keeps each key once.
    const inner = new Select({
      ...state,
      items: keys.map((column, i) => column.label(`key_${i}`)),
      orderBy: limited ? state.orderBy : [],
      distinct: !limited,
      options: [],
    }).subquery();
    const innerKeys = keys.map((_, i) => (inner.c as Record<string, ColumnElement>)[`key_${i}`]!);
    const target = config.target.cls as never;
    let statement: Select<any, any>;
    if (c.direction === 'manyToMany') {
      statement = select(target, ...c.remote)
        .join(c.secondary!, pairsEqual(c.targetColumns, c.secondaryColumns))
        .join(inner, pairsEqual(innerKeys, c.remote));
    } else if (c.direction === 'oneToMany') {
      statement = select(target).join(inner, pairsEqual(innerKeys, c.remote));
    } else {
      // Parents sharing a target repeat its row; grouping keeps one object per parent key.
      statement = select(target).join(inner, pairsEqual(c.remote, innerKeys));
    }
    if (config.uselist) statement = statement.orderBy(...config.loadOrder);
    const groups = new ParentGroups(config, todo);
    await collectRelated(context.session, groups, statement.options(...context.childOptions(node)));
    groups.distribute();
    return rest;
  },
};
