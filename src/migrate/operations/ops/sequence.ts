/** Sequence operations: create, drop (PostgreSQL; an error on databases without sequences). */
import type { SequenceParameters } from '../../../schema/sequence.js';
import { MigrateOperation, notReversible } from './operation.js';

export interface CreateSequenceFields extends SequenceParameters {
  readonly sequenceName: string;
  readonly schema: string | null;
}

export interface CreateSequenceOp extends CreateSequenceFields {}
/** `op.createSequence(...)`: CREATE SEQUENCE with its parameters. */
export class CreateSequenceOp extends MigrateOperation {
  readonly kind = 'CreateSequenceOp';
  constructor(fields: CreateSequenceFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): DropSequenceOp {
    const { kind: _kind, sequenceName, schema, ...existing } = this;
    return new DropSequenceOp({ sequenceName, schema, existing });
  }
}

export interface DropSequenceFields {
  readonly sequenceName: string;
  readonly schema: string | null;
  /** The sequence's parameters, to create it again on reverse. */
  readonly existing?: SequenceParameters;
}

export interface DropSequenceOp extends DropSequenceFields {}
/** `op.dropSequence(...)`: DROP SEQUENCE. */
export class DropSequenceOp extends MigrateOperation {
  readonly kind = 'DropSequenceOp';
  constructor(fields: DropSequenceFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): CreateSequenceOp {
    if (this.existing === undefined) return notReversible(this.kind, `the parameters of sequence "${this.sequenceName}" are not known (pass existing)`);
    return new CreateSequenceOp({ sequenceName: this.sequenceName, schema: this.schema, ...this.existing });
  }
}

export interface AlterSequenceFields {
  readonly sequenceName: string;
  readonly schema: string | null;
  /** The parameters the sequence gets; one left out goes back to its default. */
  readonly parameters: SequenceParameters;
  /** The parameters it has now: only what differs is altered, and reverse() restores them. */
  readonly existing: SequenceParameters;
}

export interface AlterSequenceOp extends AlterSequenceFields {}
/** `op.alterSequence(...)`: ALTER SEQUENCE with the parameters that differ (PostgreSQL). */
export class AlterSequenceOp extends MigrateOperation {
  readonly kind = 'AlterSequenceOp';
  constructor(fields: AlterSequenceFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): AlterSequenceOp {
    return new AlterSequenceOp({ sequenceName: this.sequenceName, schema: this.schema, parameters: this.existing, existing: this.parameters });
  }
}
