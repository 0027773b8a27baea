/**
 * How an ORM select loads relationships. For each entity of the select it resolves which loader each
 * relationship uses — an option naming it (`selectinload(Director.movies)`), a `'*'` option, or the
 * relationship's own `lazy` — into a tree of load nodes; joined nodes change the statement itself
 * (`loaders/joined.ts`), the others run after it. The relationships' own eager defaults are not
 * followed back along the path that led to them (Director.movies, then Movie.director), as
 * SQLAlchemy avoids loading cycles.
 */
import { ArgumentError } from '../../errors.js';
import { ENTITY, isEntity } from '../../sql/entity.js';
import type { SelectOption } from '../../sql/joinable.js';
import type { FromClause } from '../../sql/selectable.js';
import { type Select, expandItem } from '../../sql/statements/select.js';
import { type Mapper, type ModelClass, mapperOf } from '../mapper.js';
import { type InstanceState, stateOf } from '../session/instance-state.js';
import { entitySlot } from '../session/loading.js';
import type { SelectPlan } from '../session/participant.js';
import type { Session } from '../session/session.js';
import { ensureSlot, slotOf } from './attributes.js';
import { LOADERS } from './loaders/index.js';
import { type EntitySlot, JoinBuilder, type ParentRef } from './loaders/joined.js';
import { loadRelated } from './loaders/selectin.js';
import type { LoaderStrategy } from './loaders/strategy.js';
import { LoaderOption, type LoadStep, PathContext } from './options.js';
import type { Relationship, RelationshipConfig } from './relationship.js';

/** How one relationship is loaded at one place of the tree. */
export interface LoadNode {
  readonly config: RelationshipConfig;
  readonly strategy: LoaderStrategy;
  /** join: in the query; containsEager: from a join the query has; post: after it; override: a per-object loader. */
  readonly kind: 'join' | 'containsEager' | 'post' | 'override';
  /** Options for the target's relationships below this one. */
  readonly children: readonly LoaderOption[];
  /** The relationships from the query's entity down to this one, included. */
  readonly path: readonly RelationshipConfig[];
  readonly innerJoin: boolean;
  /** containsEager: the FROM object holding the target's columns. */
  readonly alias: FromClause | null;
}

/** What a loader strategy may use while loading. */
export interface LoadContext {
  readonly session: Session;
  /** The statement that loaded the parents (for subquery loading); null outside a query. */
  readonly statement: Select<any, any> | null;
  /** The parents' FROM object in `statement`. */
  readonly parentFrom: FromClause | null;
  /** The options of a child query issued for `node`: its nested options and its path. */
  childOptions(node: LoadNode): SelectOption[];
  /** Applies nested options (and the targets' eager defaults) to objects that no child query loaded. */
  apply(mapper: Mapper, states: readonly InstanceState[], options: readonly LoaderOption[], path: readonly RelationshipConfig[]): Promise<void>;
}

/** A relationship default that would walk back along the path (or loop) is not followed. */
function cyclic(config: RelationshipConfig, path: readonly RelationshipConfig[]): boolean {
  return path.includes(config) || (config.reverse !== null && path.includes(config.reverse));
}

function stepName(step: LoadStep): string {
  return step.relationship === '*' ? "'*'" : String(step.relationship);
}

/** The load nodes of one mapper at one place of the tree. */
export function resolveNodes(
  mapper: Mapper,
  options: readonly LoaderOption[],
  path: readonly RelationshipConfig[],
): LoadNode[] {
  const explicit = new Map<RelationshipConfig, { step: LoadStep | null; children: LoaderOption[] }>();
  let wildcard: LoadStep | null = null;
  for (const option of options) {
    const head = option.steps[0]!;
    const tail = option.steps.length > 1 ? [new LoaderOption(option.steps.slice(1), option.children)] : option.children;
    if (head.relationship === '*') {
      wildcard = head;
      continue;
    }
    const config = head.relationship.config;
    if (config.parentMapper !== mapper) {
      const after = path.length === 0 ? `the select's ${mapper.name}` : path[path.length - 1]!.name;
      throw new ArgumentError(`loader option ${stepName(head)} cannot follow ${after}: it is a relationship of ${config.parentMapper.name}, not of ${mapper.name}`);
    }
    let entry = explicit.get(config);
    if (entry === undefined) explicit.set(config, (entry = { step: null, children: [] }));
    if (head.strategy !== 'default') entry.step = head;
    entry.children.push(...tail);
  }
  const nodes: LoadNode[] = [];
  for (const property of mapper.relationships.values()) {
    const config = (property as Relationship).config;
    const entry = explicit.get(config);
    const writeOnly = config.strategy.name === 'write_only' || config.strategy.name === 'dynamic';
    const step = entry?.step ?? (writeOnly ? null : wildcard);
    const children = entry?.children ?? [];
    const base = { config, children, path: [...path, config], innerJoin: config.innerJoin, alias: null };
    if (step !== null) {
      if (writeOnly) throw new ArgumentError(`${config.name} is a ${config.strategy.name} collection and cannot be loaded by ${stepName(step)}`);
      if (step.strategy === 'containsEager') {
        nodes.push({ ...base, strategy: LOADERS.joined, kind: 'containsEager', alias: step.alias ?? null });
        continue;
      }
      const strategy = LOADERS[step.strategy as Exclude<typeof step.strategy, 'default'>];
      const kind = strategy.eager === 'join' ? 'join' : strategy.eager === 'post' ? 'post' : 'override';
      nodes.push({ ...base, strategy, kind, innerJoin: step.innerJoin ?? config.innerJoin });
      continue;
    }
    const strategy = config.strategy;
    if (strategy.eager === null || cyclic(config, path)) continue;
    nodes.push({ ...base, strategy, kind: strategy.eager === 'join' ? 'join' : 'post' });
  }
  return nodes;
}

/** One entity of a select: where its object sits in an ORM row and its columns in a raw row. */
export interface EntityRef {
  readonly ormIndex: number;
  readonly start: number;
  readonly mapper: Mapper;
  readonly from: FromClause;
}

/** A tree node with its resolved children, before the statement is built. */
export interface PlanNode {
  readonly node: LoadNode;
  readonly children: readonly PlanNode[];
}

function planTree(nodes: readonly LoadNode[], options: { inQuery: boolean }): PlanNode[] {
  return nodes.map((node) => {
    const joinedHere = options.inQuery && (node.kind === 'join' || node.kind === 'containsEager');
    const below = joinedHere ? planTree(resolveNodes(node.config.target, node.children, node.path), options) : [];
    return { node, children: below };
  });
}

/** A top-level option applies to the entity of its relationship's model (or the alias it was taken from). */
function applies(option: LoaderOption, entity: EntityRef): boolean {
  const head = option.steps[0]!;
  if (head.relationship === '*') return true;
  const relationship = head.relationship;
  if (relationship.config.parentMapper !== entity.mapper) return false;
  const viewFrom = relationship.view.parentFrom;
  return viewFrom === null ? entity.from === entity.mapper.table : viewFrom === entity.from;
}

/** The plan of a select with entities, or null when no relationship loading applies to it. */
export function planSelect(session: Session, statement: Select<any, any>): SelectPlan | null {
  const loaderOptions: LoaderOption[] = [];
  let path: readonly RelationshipConfig[] = [];
  for (const option of statement.state.options) {
    if (option instanceof LoaderOption) loaderOptions.push(option);
    else if (option instanceof PathContext) path = option.path;
  }
  const entities: EntityRef[] = [];
  let ormIndex = 0;
  let column = 0;
  for (const item of statement.state.items) {
    const width = expandItem(item).length;
    if (isEntity(item)) {
      entities.push({ ormIndex, start: column, mapper: mapperOf(item as unknown as ModelClass), from: item[ENTITY].from });
      ormIndex += 1;
    } else {
      ormIndex += width;
    }
    column += width;
  }
  if (entities.length === 0) return null;
  const used = new Set<LoaderOption>();
  const trees = entities.map((entity) => {
    const own = loaderOptions.filter((option) => applies(option, entity));
    own.forEach((option) => used.add(option));
    return planTree(resolveNodes(entity.mapper, own, path), { inQuery: true });
  });
  for (const option of loaderOptions) {
    if (!used.has(option)) throw new ArgumentError(`loader option ${stepName(option.steps[0]!)} applies to no entity of the select`);
  }
  if (trees.every((tree) => tree.length === 0)) return null;
  return buildPlan(session, statement, entities, trees);
}

/** Keys up to this are marked in a byte array whatever the number of rows. */
const MARKED_KEYS = 65_536;

/**
 * The distinct objects of one entity's column of a result, as states in the order first seen. Rows
 * with the same primary key hold the same object, so when every key is a small whole number, repeats
 * are found by marking the keys in a byte array: a Set of the objects was a large part of a
 * relationship load's garbage.
 */
function distinctStates(column: readonly (object | null)[], raw: readonly (readonly unknown[])[], slot: EntitySlot): InstanceState[] {
  const at = slot.pk.length === 1 ? slot.start + slot.pk[0]! : -1;
  let max = at === -1 ? Infinity : -1;
  for (let r = 0; r < column.length && max !== Infinity; r++) {
    if (column[r] === null || column[r] === undefined) continue;
    const key = raw[r]![at];
    max = typeof key === 'number' && Number.isInteger(key) && key >= 0 ? Math.max(max, key) : Infinity;
  }
  // Keys spread far apart would make the byte array large.
  if (max > MARKED_KEYS + 16 * column.length) return distinctBySet(column);
  // Marked once counted (1), then once taken (2), so the list is made at its size.
  const marks = new Uint8Array(max + 1);
  let count = 0;
  for (let r = 0; r < column.length; r++) {
    if (column[r] === null || column[r] === undefined) continue;
    const key = raw[r]![at] as number;
    if (marks[key] === 0) {
      marks[key] = 1;
      count++;
    }
  }
  const states = new Array<InstanceState>(count);
  let n = 0;
  for (let r = 0; n < count; r++) {
    const key = raw[r]![at] as number;
    if (column[r] === null || column[r] === undefined || marks[key] === 2) continue;
    marks[key] = 2;
    states[n++] = stateOf(column[r]!)!;
  }
  return states;
}

function distinctBySet(column: readonly (object | null)[]): InstanceState[] {
  const seen = new Set<object>();
  const states: InstanceState[] = [];
  for (let r = 0; r < column.length; r++) {
    const obj = column[r];
    if (obj === null || obj === undefined || seen.has(obj)) continue;
    seen.add(obj);
    states.push(stateOf(obj)!);
  }
  return states;
}

interface Deferred {
  readonly node: LoadNode;
  readonly parent: ParentRef;
  readonly parentFrom: FromClause;
}

function buildPlan(session: Session, statement: Select<any, any>, entities: readonly EntityRef[], trees: readonly PlanNode[][]): SelectPlan {
  const builder = new JoinBuilder(statement, entities, trees);
  const post: Deferred[] = [];
  const overrides: Deferred[] = [];
  const walk = (nodes: readonly PlanNode[], parent: ParentRef, parentFrom: FromClause, inner: boolean) => {
    for (const { node, children } of nodes) {
      if (node.kind === 'join' || node.kind === 'containsEager') {
        const join = builder.add(node, parent, inner);
        walk(children, { join: join.index }, join.targetFrom, join.inner);
      } else if (node.kind === 'post') {
        post.push({ node, parent, parentFrom });
      } else {
        overrides.push({ node, parent, parentFrom });
      }
    }
  };
  entities.forEach((entity, i) => walk(trees[i]!, { entity: entity.ormIndex, entityIndex: i }, entity.from, true));
  const built = builder.build();
  return {
    statement: built.statement,
    names: built.names,
    finish: async (raw, objects) => {
      const joined = builder.populate(session, raw, objects);
      const parentsOf = (ref: ParentRef): InstanceState[] => {
        if ('join' in ref) return distinctStates(joined[ref.join]!, raw, builder.slotOf(ref.join));
        const entity = entities[ref.entityIndex]!;
        return distinctStates(objects[ref.entity]!, raw, entitySlot(entity.mapper, entity.start));
      };
      for (const { node, parent } of overrides) {
        for (const state of parentsOf(parent)) {
          if (!slotOf(state, node.config.key!)?.loaded) ensureSlot(state, node.config).strategy = node.strategy;
        }
      }
      for (const { node, parent, parentFrom } of post) {
        const parents = parentsOf(parent);
        if (parents.length === 0) continue;
        const context = contextFor(session, 'join' in parent ? built.statement : statement, parentFrom);
        const rest = await node.strategy.load!(context, node, parents);
        if (rest.length > 0) await context.apply(node.config.target, rest, node.children, node.path);
      }
      return built.unique;
    },
  };
}

/** A load context over a statement (null: objects not loaded by a query of their own). */
export function contextFor(session: Session, statement: Select<any, any> | null, parentFrom: FromClause | null): LoadContext {
  const context: LoadContext = {
    session,
    statement,
    parentFrom,
    childOptions: (node) => [...node.children, new PathContext(node.path)],
    apply: async (mapper, states, options, path) => {
      const outside = statement === null ? context : contextFor(session, null, null);
      for (const node of resolveNodes(mapper, options, path)) {
        if (node.kind === 'override') {
          for (const state of states) if (!slotOf(state, node.config.key!)?.loaded) ensureSlot(state, node.config).strategy = node.strategy;
          continue;
        }
        // Without a query to join into, a joined load becomes a selectin one; containsEager has nothing to read.
        if (node.kind === 'containsEager') continue;
        const strategy = node.kind === 'join' ? LOADERS.selectin : node.strategy;
        const rest = await strategy.load!(outside, node, states);
        if (rest.length > 0) await outside.apply(node.config.target, rest, node.children, node.path);
      }
    },
  };
  return context;
}

/** `session.load(objects, ...keys)`: loads (or reloads) relationships of persistent objects. */
export async function loadAttributes(session: Session, states: readonly InstanceState[], keys: readonly string[]): Promise<void> {
  const byMapper = new Map<Mapper, InstanceState[]>();
  for (const state of states) {
    const list = byMapper.get(state.mapper);
    if (list === undefined) byMapper.set(state.mapper, [state]);
    else list.push(state);
  }
  const context = contextFor(session, null, null);
  for (const key of keys) {
    for (const [mapper, list] of byMapper) {
      const property = mapper.relationships.get(key) as Relationship | undefined;
      if (property === undefined) throw new ArgumentError(`${mapper.name} has no relationship "${key}"`);
      const config = property.config;
      if (config.strategy.name === 'write_only' || config.strategy.name === 'dynamic') {
        throw new ArgumentError(`${config.name} is a ${config.strategy.name} collection; query it with its select()`);
      }
      await loadRelated(context, config, list, [], { force: true });
    }
  }
}
