/**
 * The loader strategies by `lazy` name: adding a strategy is adding a file and a line here.
 */
import { immediateLoader } from './immediate.js';
import { joinedLoader } from './joined.js';
import { selectLoader } from './lazy.js';
import { noLoader } from './noload.js';
import { raiseOnSqlLoader } from './raise-on-sql.js';
import { raiseLoader } from './raise.js';
import { selectinLoader } from './selectin.js';
import type { LazyStrategy, LoaderStrategy } from './strategy.js';
import { subqueryLoader } from './subquery.js';
import { dynamicLoader, writeOnlyLoader } from './write-only.js';

export const LOADERS: Readonly<Record<LazyStrategy, LoaderStrategy>> = {
  select: selectLoader,
  selectin: selectinLoader,
  joined: joinedLoader,
  subquery: subqueryLoader,
  immediate: immediateLoader,
  raise: raiseLoader,
  raise_on_sql: raiseOnSqlLoader,
  noload: noLoader,
  write_only: writeOnlyLoader,
  dynamic: dynamicLoader,
};
