/**
 * Free-standing sequences of one schema, matched by name: a model sequence the database lacks is
 * created before the tables (a column default may call nextval() on it), one the database has and the
 * models lack is dropped after them. Only where the database has sequences; their parameters are
 * created as the model states them and not compared afterwards.
 */
import type { ReflectedSequence } from '../../../schema/reflected.js';
import { sequenceParameters } from '../../../schema/sequence.js';
import { CreateSequenceOp, DropSequenceOp } from '../../operations/ops/sequence.js';
import { type CompareContext, qualified } from '../context.js';

export function compareSequences(ctx: CompareContext, schema: string | null, reflected: readonly ReflectedSequence[]): void {
  if (!ctx.capabilities.sequences) return;
  const models = [...ctx.metadata.sequences.values()].filter((s) => s.schema === schema);
  const inDatabase = new Set(reflected.map((s) => s.name));
  const inModels = new Set(models.map((s) => s.name));
  for (const sequence of models) {
    if (inDatabase.has(sequence.name)) continue;
    ctx.plan.add({
      phase: 'createSequence',
      table: null,
      op: new CreateSequenceOp({ sequenceName: sequence.name, schema, ...sequence.parameters }),
      code: 'add_sequence',
      description: `Added sequence '${sequence.fullName}'`,
    });
  }
  for (const sequence of reflected) {
    if (inModels.has(sequence.name)) continue;
    ctx.plan.add({
      phase: 'dropSequence',
      table: null,
      op: new DropSequenceOp({ sequenceName: sequence.name, schema, existing: sequenceParameters(sequence) }),
      code: 'remove_sequence',
      description: `Removed sequence '${qualified(schema, sequence.name)}'`,
    });
  }
}
