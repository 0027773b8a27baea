/**
 * Naming conventions for constraints and indexes, with SQLAlchemy's `%(token)s` syntax, so that the
 * names in the database are predictable and autogenerate can compare and drop them.
 */
import { ArgumentError } from '../errors.js';
import { boundedIdentifier } from '../util/identifier-length.js';
import type { Column } from './column.js';
import { type Constraint, ForeignKeyConstraint } from './constraints.js';
import { Index } from './table-index.js';

/** Convention keys: index, unique, check, foreign key, primary key. */
export type ConventionKey = 'ix' | 'uq' | 'ck' | 'fk' | 'pk';

/** SQLAlchemy's default: only indexes are named, `ix_<table>_<column>`. */
export const DEFAULT_NAMING_CONVENTION: Readonly<Partial<Record<ConventionKey, string>>> = {
  ix: 'ix_%(column_0_label)s',
};

const KEY_OF = { PrimaryKey: 'pk', Unique: 'uq', ForeignKey: 'fk', Check: 'ck' } as const;

const TOKEN = /%\((\w+)\)s/g;

export class NamingConvention {
  constructor(readonly templates: Readonly<Partial<Record<ConventionKey, string>>> = DEFAULT_NAMING_CONVENTION) {}

  /** True when the template for `target` embeds the constraint's own name. */
  usesConstraintName(target: Constraint | Index): boolean {
    return this.#template(target)?.includes('%(constraint_name)s') ?? false;
  }

  /** The conventional name of a constraint or index, or null when there is no template. */
  nameFor(target: Constraint | Index): string | null {
    const template = this.#template(target);
    if (template === undefined) return null;
    // A long generated name is cut with a hash of the whole: PostgreSQL would cut it silently (and then
    // never match it), MySQL would refuse it.
    return boundedIdentifier(template.replace(TOKEN, (_, token: string) => this.#token(token, target, template)));
  }

  #template(target: Constraint | Index): string | undefined {
    const key: ConventionKey = target instanceof Index ? 'ix' : KEY_OF[target.kind];
    return this.templates[key];
  }

  #token(token: string, target: Constraint | Index, template: string): string {
    const table = target.table;
    const columns: readonly Column[] = 'columns' in target ? target.columns : [];
    const referred = target instanceof ForeignKeyConstraint ? target.referredColumns : [];
    if (token === 'table_name') return table.name;
    if (token === 'referred_table_name') return referred[0]?.table.name ?? fail(token, template);
    if (token === 'constraint_name') {
      if (target.explicitName !== null) return target.explicitName;
      throw new ArgumentError(`naming convention "${template}" uses %(constraint_name)s, so the constraint on "${table.name}" needs an explicit name`);
    }
    const match = /^(referred_)?column_0(_N|N)?_(name|label|key)$/.exec(token);
    if (match === null) throw new ArgumentError(`naming convention "${template}": unknown token %(${token})s`);
    const list = match[1] === undefined ? columns : referred;
    if (list.length === 0) return fail(token, template);
    const spell = (c: Column): string => (match[3] === 'name' ? c.name : match[3] === 'key' ? c.key : `${c.table.name}_${c.name}`);
    const picked = match[2] === undefined ? [list[0]!] : list;
    return picked.map(spell).join(match[2] === 'N' ? '' : '_');
  }
}

function fail(token: string, template: string): never {
  throw new ArgumentError(`naming convention "${template}": %(${token})s has no value for this object (an expression index?)`);
}
