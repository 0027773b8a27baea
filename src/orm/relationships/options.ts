/**
 * Loader options: per-query choices of how relationships load, chainable along a path as in
 * SQLAlchemy 2.0 (`selectinload(Director.movies).joinedload(Movie.director)`), attached with
 * `select(...).options(...)`. They are data; `load-plan.ts` reads them when the session runs the select.
 */
import { ArgumentError } from '../../errors.js';
import { ENTITY, isEntity } from '../../sql/entity.js';
import { SELECT_OPTION, type SelectOption } from '../../sql/joinable.js';
import type { FromClause } from '../../sql/selectable.js';
import type { LazyStrategy } from './loaders/strategy.js';
import type { Relationship, RelationshipConfig } from './relationship.js';

/** What an option asks for a relationship: a loader, `default` (only continue the path), or containsEager. */
export type OptionStrategy = Exclude<LazyStrategy, 'write_only' | 'dynamic'> | 'default' | 'containsEager';

/** One step of an option's path. `'*'` stands for every relationship not named by another option. */
export interface LoadStep {
  readonly relationship: Relationship<any> | '*';
  readonly strategy: OptionStrategy;
  /** joinedload: INNER JOIN. */
  readonly innerJoin?: boolean;
  /** containsEager: where the target's columns are in the statement (an alias), else its table. */
  readonly alias?: FromClause | null;
}

/** An alias given to containsEager: an `aliased()` entity or a FROM object. */
export type EagerAlias = FromClause | { readonly [ENTITY]: { readonly from: FromClause } };

/** The function that builds each strategy's option, for messages. */
const OPTION_NAMES: Record<OptionStrategy, string> = {
  selectin: 'selectinload',
  joined: 'joinedload',
  subquery: 'subqueryload',
  immediate: 'immediateload',
  select: 'lazyload',
  noload: 'noload',
  raise: 'raiseload',
  raise_on_sql: 'raiseload',
  default: 'defaultload',
  containsEager: 'containsEager',
};

/**
 * SQLAlchemy 1.x named relationships by string (`joinedload('addresses')`); accepted, that would fail
 * only when the query runs, with an internal TypeError.
 */
function checkRelationshipArgument(step: LoadStep): void {
  const value: unknown = step.relationship;
  if (value === '*' || (typeof value === 'object' && value !== null)) return;
  const name = OPTION_NAMES[step.strategy];
  if (typeof value === 'string') {
    throw new ArgumentError(`${name}('${value}'): relationship names as strings are SQLAlchemy 1.x; pass the relationship itself, e.g. ${name}(User.${value})`);
  }
  throw new ArgumentError(`${name}() takes a relationship such as ${name}(User.addresses), or '*'; got ${String(value)}`);
}

function aliasFrom(alias: EagerAlias | undefined): FromClause | null {
  if (alias === undefined) return null;
  return isEntity(alias) ? alias[ENTITY].from : (alias as FromClause);
}

/**
 * A loader option: a path of relationships with a loader for each step, and options branching off its
 * end (`.options(...)`). Build one with {@link selectinload}, {@link joinedload}, ...
 *
 * @example
 * select(Director).options(selectinload(Director.movies).selectinload(Movie.genres))
 * select(Movie).options(joinedload(Movie.director), selectinload(Movie.genres))
 * select(Director).options(selectinload(Director.movies).options(joinedload(Movie.director), selectinload(Movie.genres)))
 */
export class LoaderOption implements SelectOption {
  readonly [SELECT_OPTION] = true as const;

  /** @internal */
  constructor(
    readonly steps: readonly LoadStep[],
    readonly children: readonly LoaderOption[] = [],
  ) {
    if (steps.length === 0) throw new ArgumentError('a loader option needs a relationship');
    for (const step of steps) checkRelationshipArgument(step);
  }

  #then(step: LoadStep): LoaderOption {
    if (this.children.length > 0) throw new ArgumentError('a loader option cannot be continued after .options(...); put the next step inside it');
    if (this.steps[this.steps.length - 1]!.relationship === '*') throw new ArgumentError("'*' ends a loader option's path");
    return new LoaderOption([...this.steps, step]);
  }

  selectinload(relationship: Relationship<any> | '*'): LoaderOption {
    return this.#then({ relationship, strategy: 'selectin' });
  }
  joinedload(relationship: Relationship<any> | '*', options: { innerJoin?: boolean } = {}): LoaderOption {
    return this.#then({ relationship, strategy: 'joined', innerJoin: options.innerJoin ?? false });
  }
  subqueryload(relationship: Relationship<any> | '*'): LoaderOption {
    return this.#then({ relationship, strategy: 'subquery' });
  }
  immediateload(relationship: Relationship<any> | '*'): LoaderOption {
    return this.#then({ relationship, strategy: 'immediate' });
  }
  lazyload(relationship: Relationship<any> | '*'): LoaderOption {
    return this.#then({ relationship, strategy: 'select' });
  }
  noload(relationship: Relationship<any> | '*'): LoaderOption {
    return this.#then({ relationship, strategy: 'noload' });
  }
  raiseload(relationship: Relationship<any> | '*', options: { sqlOnly?: boolean } = {}): LoaderOption {
    return this.#then({ relationship, strategy: options.sqlOnly ? 'raise_on_sql' : 'raise' });
  }
  defaultload(relationship: Relationship<any>): LoaderOption {
    return this.#then({ relationship, strategy: 'default' });
  }
  containsEager(relationship: Relationship<any>, options: { alias?: EagerAlias } = {}): LoaderOption {
    return this.#then({ relationship, strategy: 'containsEager', alias: aliasFrom(options.alias) });
  }

  /** Several options continuing from this path's end. */
  options(...children: LoaderOption[]): LoaderOption {
    if (this.steps[this.steps.length - 1]!.relationship === '*') throw new ArgumentError("'*' ends a loader option's path");
    return new LoaderOption(this.steps, [...this.children, ...children]);
  }
}

/**
 * Loads the relationship with one more SELECT per level after the query: `WHERE fk IN (parent keys)`,
 * up to 10,000 keys per statement. The usual choice for collections.
 *
 * @example
 * await session.scalars(select(Director).options(selectinload(Director.movies).selectinload(Movie.genres)));
 * // SELECT directors.* FROM directors
 * // SELECT movies.* FROM movies WHERE movies.director_id IN (?, ?, ...) ORDER BY movies.id
 * // SELECT genres.*, movies_genres.movie_id FROM genres JOIN movies_genres ON ... WHERE movies_genres.movie_id IN (...)
 */
export function selectinload(relationship: Relationship<any> | '*'): LoaderOption {
  return new LoaderOption([{ relationship, strategy: 'selectin' }]);
}

/**
 * Loads the relationship in the same query with a LEFT OUTER JOIN (INNER with `innerJoin`) to an
 * anonymous alias of the target. Parents repeated by a joined collection come back once.
 */
export function joinedload(relationship: Relationship<any> | '*', options: { innerJoin?: boolean } = {}): LoaderOption {
  return new LoaderOption([{ relationship, strategy: 'joined', innerJoin: options.innerJoin ?? false }]);
}

/** Loads the relationship with one more SELECT joining the target to the original query as a subquery. */
export function subqueryload(relationship: Relationship<any> | '*'): LoaderOption {
  return new LoaderOption([{ relationship, strategy: 'subquery' }]);
}

/** Loads the relationship right after the query with one SELECT per parent (no identity-map hit needed). */
export function immediateload(relationship: Relationship<any> | '*'): LoaderOption {
  return new LoaderOption([{ relationship, strategy: 'immediate' }]);
}

/** Leaves the relationship to `session.load()` (overriding an eager default). */
export function lazyload(relationship: Relationship<any> | '*'): LoaderOption {
  return new LoaderOption([{ relationship, strategy: 'select' }]);
}

/** Never loads the relationship: it reads as empty (or null) on the objects this query loads. */
export function noload(relationship: Relationship<any> | '*'): LoaderOption {
  return new LoaderOption([{ relationship, strategy: 'noload' }]);
}

/**
 * Reading the relationship on the objects this query loads raises; with `sqlOnly`, only when loading it
 * would need SQL (a many-to-one found in the identity map still reads).
 *
 * @example
 * select(Movie).options(raiseload('*'), joinedload(Movie.director))
 */
export function raiseload(relationship: Relationship<any> | '*', options: { sqlOnly?: boolean } = {}): LoaderOption {
  return new LoaderOption([{ relationship, strategy: options.sqlOnly ? 'raise_on_sql' : 'raise' }]);
}

/** Keeps the relationship's own loader and continues the path: `defaultload(A.b).selectinload(B.c)`. */
export function defaultload(relationship: Relationship<any>): LoaderOption {
  return new LoaderOption([{ relationship, strategy: 'default' }]);
}

/**
 * Fills the relationship from a join the query already has (its target's table, or `alias`) instead of
 * adding one, so a filter on the joined rows also decides what the collection holds.
 *
 * @example
 * select(Address).join(Address.user).where(User.c.name.eq('jack')).options(containsEager(Address.user))
 */
export function containsEager(relationship: Relationship<any>, options: { alias?: EagerAlias } = {}): LoaderOption {
  return new LoaderOption([{ relationship, strategy: 'containsEager', alias: aliasFrom(options.alias) }]);
}

/**
 * @internal The path of relationships a loader's own query runs for, so the target's default eager
 * loaders do not walk back along it (Director.movies selectin, then Movie.director joined, ...).
 */
export class PathContext implements SelectOption {
  readonly [SELECT_OPTION] = true as const;
  constructor(readonly path: readonly RelationshipConfig[]) {}
}
