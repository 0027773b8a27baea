/**
 * Sequences as schema objects of their own (PostgreSQL's CREATE SEQUENCE), for keys whose default is
 * `nextval('name')` rather than SERIAL or IDENTITY, as many existing schemas have them. Databases
 * without sequences (SQLite, MySQL) skip them in `createAll`, and a migration operation on one is an
 * error there.
 */
import { ArgumentError } from '../errors.js';
import type { MetaData } from './metadata.js';

/** A sequence's parameters; those left out take the database's defaults. */
export interface SequenceOptions {
  /** The schema when not the MetaData's (or the connection's default). */
  readonly schema?: string;
  /** `AS smallint | integer | bigint` (PostgreSQL's default is bigint). */
  readonly dataType?: 'smallint' | 'integer' | 'bigint';
  readonly start?: number | bigint;
  readonly increment?: number | bigint;
  readonly minValue?: number | bigint;
  readonly maxValue?: number | bigint;
  readonly cache?: number | bigint;
  readonly cycle?: boolean;
}

/** The parameters of {@link SequenceOptions} without the schema, in the order DDL writes them. */
export const SEQUENCE_PARAMETERS = ['dataType', 'increment', 'minValue', 'maxValue', 'start', 'cache', 'cycle'] as const satisfies readonly (keyof SequenceOptions)[];

/** A sequence's parameters as `op.alterSequence()` and a Sequence's `parameters` hold them: the options less the schema. */
export type SequenceParameters = Omit<SequenceOptions, 'schema'>;

/**
 * A free-standing sequence, registered on its MetaData.
 *
 * @example
 * new Sequence('actor_actor_id_seq', metadata, { start: 1 });
 * new Table('actor', metadata, { actor_id: column(t.Integer(), { primaryKey: true, serverDefault: literalColumn("nextval('actor_actor_id_seq')") }) });
 */
export class Sequence {
  readonly schema: string | null;
  readonly parameters: SequenceParameters;

  constructor(
    readonly name: string,
    metadata: MetaData | null,
    options: SequenceOptions = {},
  ) {
    if (name === '') throw new ArgumentError('a sequence needs a name');
    this.schema = options.schema ?? metadata?.schema ?? null;
    this.parameters = sequenceParameters(options);
    metadata?.addSequence(this);
  }

  /** `schema.name`, or `name` in the default schema. */
  get fullName(): string {
    return this.schema === null ? this.name : `${this.schema}.${this.name}`;
  }
}

/** The parameters `source` states, and nothing else (no undefined keys). */
export function sequenceParameters(source: SequenceParameters): SequenceParameters {
  const picked: Record<string, unknown> = {};
  for (const key of SEQUENCE_PARAMETERS) if (source[key] !== undefined) picked[key] = source[key];
  return picked as SequenceParameters;
}
