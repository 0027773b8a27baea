/** `op.createSequence()`, `op.dropSequence()`. */
import { SEQUENCE_PARAMETERS, type SequenceParameters } from '../../../schema/sequence.js';
import type { AlterSequenceOp, CreateSequenceOp, DropSequenceOp } from '../../operations/ops/sequence.js';
import { call, object, type RenderContext, str } from './source.js';

export function renderCreateSequence(_r: RenderContext, op: CreateSequenceOp): string {
  return call('op.createSequence', [str(op.sequenceName), object([['schema', op.schema === null ? undefined : str(op.schema)], ...sequenceParameterEntries(op)])]);
}

export function renderDropSequence(_r: RenderContext, op: DropSequenceOp): string {
  return call('op.dropSequence', [str(op.sequenceName), object([['schema', op.schema === null ? undefined : str(op.schema)]])]);
}

/** `start: 10, dataType: 'integer'`: numbers beyond JavaScript's safe range as bigint literals. */
export function sequenceParameterEntries(p: SequenceParameters): (readonly [string, string | undefined])[] {
  return SEQUENCE_PARAMETERS.map((key) => {
    const value = p[key];
    if (value === undefined) return [key, undefined] as const;
    return [key, typeof value === 'string' ? str(value) : typeof value === 'bigint' ? `${value}n` : String(value)] as const;
  });
}

export function renderAlterSequence(_r: RenderContext, op: AlterSequenceOp): string {
  const parameters = object(sequenceParameterEntries(op.parameters)) ?? '{}';
  const existing = object(sequenceParameterEntries(op.existing)) ?? '{}';
  const options = object([['schema', op.schema === null ? undefined : str(op.schema)], ['existing', existing]]);
  return call('op.alterSequence', [str(op.sequenceName), parameters, options]);
}
