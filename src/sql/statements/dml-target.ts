/**
 * The target of an UPDATE or DELETE: a table, or an ORM entity (a model class) whose table it is. An
 * entity makes the statement "ORM-enabled": run through a session, it keeps the session's loaded
 * objects in step (`synchronizeSession`). Core ignores the entity and the option.
 */
import { ArgumentError } from '../../errors.js';
import { ENTITY, type EntityLike, isEntity } from '../entity.js';
import { FromClause } from '../selectable.js';
import type { TableClause } from '../table-clause.js';

/**
 * How a session brings loaded objects in step with an ORM-enabled UPDATE/DELETE (SQLAlchemy's
 * `synchronize_session`): `'evaluate'` matches and updates them in JavaScript, `'fetch'` asks the
 * database which rows match (and reloads updated ones), `'auto'` evaluates when it can and fetches
 * otherwise, `false` leaves them as they are.
 */
export type SynchronizeSession = 'auto' | 'evaluate' | 'fetch' | false;

/** Options of an UPDATE/DELETE for the layer that runs it (`executionOptions()`). */
export interface DmlExecutionOptions {
  readonly synchronizeSession?: SynchronizeSession;
}

/** What `update()` and `delete_()` take: a table, or a model class (anything with `[ENTITY]` and a table). */
export type DmlTarget = TableClause<any> | (EntityLike & { readonly table: TableClause<any> });

/** The table of a DML target and the entity, when it is one. @internal */
export function resolveDmlTarget(target: DmlTarget, verb: string): { table: TableClause; entity: EntityLike | null } {
  if (target instanceof FromClause) {
    if (target.kind !== 'Table') throw new ArgumentError(`${verb}() takes a table or a model class, got a ${target.kind}`);
    return { table: target as TableClause, entity: null };
  }
  if (isEntity(target) && target[ENTITY].from.kind === 'Table') return { table: target[ENTITY].from as TableClause, entity: target };
  throw new ArgumentError(`${verb}() takes a table or a model class (not an alias or a string), e.g. ${verb}(User) or ${verb}(users)`);
}
