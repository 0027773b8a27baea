/**
 * Relationships between models: declaring them (`relationship()`), their in-memory collections,
 * loading them (strategies per relationship and loader options per query), cascades and the flush of
 * foreign keys and association rows. Importing this module plugs it into the session; it emits Core
 * statements through the session and never writes SQL text.
 *
 * Decisions that differ from SQLAlchemy because JavaScript cannot block in a property read:
 * - An unloaded relationship never loads on access: reading it raises NotLoadedError naming the
 *   attribute and how to load it (`await session.load(obj, 'key')`, a loader option, or an eager
 *   `lazy:`), except a many-to-one whose target the session holds, which reads without SQL.
 * - Loaded relationship values survive commit (they hold what the session wrote and read); a rollback
 *   unloads them, as SQLAlchemy expires everything on rollback.
 * - Collections come in the relationship's `orderBy`, else in the target's primary key order, with
 *   every loader (SQLAlchemy leaves the order to the database).
 * - An eager load in a query skips parents whose relationship is already loaded; `session.load()`
 *   always reloads.
 */
import { setFlushParticipant } from '../session/session.js';
import { relationshipParticipant } from './flush-participant.js';

setFlushParticipant(relationshipParticipant);

export { aliased, type AliasableModel, type AliasedModel, type AliasedRelationships, type ModelRow } from './aliased.js';
export { DynamicCollection, InstrumentedList, WriteOnlyCollection } from './collections.js';
export { NotLoadedError } from './errors.js';
export type { AwaitableAttrs } from './awaitable-attrs.js';
export type { LazyStrategy } from './loaders/strategy.js';
export {
  LoaderOption,
  containsEager,
  defaultload,
  immediateload,
  joinedload,
  lazyload,
  noload,
  raiseload,
  selectinload,
  subqueryload,
  type EagerAlias,
  type LoadStep,
  type OptionStrategy,
} from './options.js';
export {
  Relationship,
  configureMappers,
  relationship,
  type RelationshipCriterion,
  type RelationshipOptions,
  type Thunk,
} from './relationship.js';
export { withParent } from './with-parent.js';
