/**
 * Free-standing sequences of one schema, matched by name: a model sequence the database lacks is
 * created before the tables (a column default may call nextval() on it), one the database has and the
 * models lack is dropped after them, and one on both sides whose parameters differ is altered (ALTER
 * SEQUENCE sets what differs). Only where the database has sequences.
 */
import type { ReflectedSequence } from '../../../schema/reflected.js';
import { SEQUENCE_PARAMETERS, type SequenceParameters, sequenceParameters } from '../../../schema/sequence.js';
import { AlterSequenceOp, CreateSequenceOp, DropSequenceOp } from '../../operations/ops/sequence.js';
import { type CompareContext, qualified } from '../context.js';

export function compareSequences(ctx: CompareContext, schema: string | null, reflected: readonly ReflectedSequence[]): void {
  if (!ctx.capabilities.sequences) return;
  const models = [...ctx.metadata.sequences.values()].filter((s) => s.schema === schema);
  const inDatabase = new Set(reflected.map((s) => s.name));
  const inModels = new Set(models.map((s) => s.name));
  const byName = new Map(reflected.map((s) => [s.name, s]));
  for (const sequence of models) {
    const found = byName.get(sequence.name);
    if (found !== undefined) {
      const existing = sequenceParameters(found);
      const [mine, theirs] = [describeParameters(sequence.parameters), describeParameters(existing)];
      if (mine !== theirs) {
        ctx.plan.add({
          phase: 'createSequence',
          table: null,
          op: new AlterSequenceOp({ sequenceName: sequence.name, schema, parameters: sequence.parameters, existing }),
          code: 'modify_sequence',
          description: `Changed sequence '${sequence.fullName}': ${theirs} -> ${mine}`,
        });
      }
      continue;
    }
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

/**
 * The parameters in the form both sides compare in, as reflection reports them (the defaults left out:
 * bigint, increment 1, cache 1, no cycle, the bounds of the type and the start at the bound it counts from).
 */
function describeParameters(p: SequenceParameters): string {
  const ascending = BigInt(p.increment ?? 1) > 0n;
  const defaults: Record<string, string> = { dataType: 'bigint', increment: '1', cache: '1', cycle: 'false' };
  const parts: string[] = [];
  for (const key of SEQUENCE_PARAMETERS) {
    const value = p[key];
    if (value === undefined || String(value) === defaults[key]) continue;
    if (key === 'start' && String(value) === String(ascending ? (p.minValue ?? 1) : (p.maxValue ?? -1))) continue;
    const typeMax = { smallint: '32767', integer: '2147483647', bigint: '9223372036854775807' }[p.dataType ?? 'bigint'];
    if (ascending && ((key === 'minValue' && String(value) === '1') || (key === 'maxValue' && String(value) === typeMax))) continue;
    parts.push(`${key} ${String(value)}`);
  }
  return parts.length === 0 ? 'defaults' : parts.join(', ');
}
