/**
 * Errors of the revision graph and the script directory. Each message is one line that names the
 * revision (and its file, when there is one) and says what to do next.
 */
import { TsmigError } from '../../errors.js';

/** The revision graph is inconsistent or a request on it cannot be answered (base of this family). */
export class RevisionGraphError extends TsmigError {
  override readonly name: string = 'RevisionGraphError';
}

/** An identifier names no revision, branch label or symbol (`head`, `base`, ...). */
export class UnknownRevisionError extends RevisionGraphError {
  override readonly name: string = 'UnknownRevisionError';
  /** The identifier as the user wrote it. */
  readonly identifier: string;

  constructor(identifier: string, message: string) {
    super(message);
    this.identifier = identifier;
  }
}

/** A partial revision id matches several revisions. */
export class AmbiguousRevisionError extends RevisionGraphError {
  override readonly name: string = 'AmbiguousRevisionError';
  readonly identifier: string;
  /** Every full id the identifier matches. */
  readonly candidates: readonly string[];

  constructor(identifier: string, candidates: readonly string[]) {
    super(`Revision '${identifier}' is ambiguous: it matches ${candidates.join(', ')}. Give more characters of the id.`);
    this.identifier = identifier;
    this.candidates = candidates;
  }
}

/** `head` (or `label@head`) was asked for while the graph has several heads there. */
export class MultipleHeadsError extends RevisionGraphError {
  override readonly name: string = 'MultipleHeadsError';
  readonly heads: readonly string[];
  /** The identifier that needed a single head (`head`, `shop@head`). */
  readonly identifier: string;

  constructor(heads: readonly string[], identifier: string, next?: string) {
    const where = identifier === 'head' ? '' : ` for '${identifier}'`;
    super(
      `Multiple heads${where}: ${heads.join(', ')}. ` +
        (next ?? 'Run `tsmig merge heads -m "..."` or target one head (a revision id, `label@head` or `heads`).'),
    );
    this.heads = heads;
    this.identifier = identifier;
  }
}

/** Revisions form a cycle through `downRevision` or `dependsOn`. */
export class CycleDetectedError extends RevisionGraphError {
  override readonly name: string = 'CycleDetectedError';
  /** The revisions of one cycle, in order (the first one again at the end is implied). */
  readonly revisions: readonly string[];

  constructor(revisions: readonly string[], message: string) {
    super(message);
    this.revisions = revisions;
  }
}

/** A revision file cannot be read (its header/exports do not follow the grammar) or fails to load. */
export class RevisionFileError extends TsmigError {
  override readonly name: string = 'RevisionFileError';
  /** The file, absolute. */
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}
