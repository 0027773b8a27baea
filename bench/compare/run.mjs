/**
 * The ORM bench's work done by tsmig, TypeORM and MikroORM side by side: flush 10,000 new objects in
 * one transaction, then load 100,000 objects, on each reachable database. TypeORM and MikroORM live in
 * this folder's own node_modules, which the root `npm ci` does not install:
 *
 *   (cd bench/compare && npm ci) && node --import tsx bench/compare/run.mjs [--dialect sqlite,...] [--reps N]
 *
 * It is plain JavaScript so that the root `tsc` (which type-checks bench/) never needs these packages.
 * Every ORM maps the same table, created by tsmig, through its API without decorators (EntitySchema);
 * each flush runs in a fresh unit of work (session / EntityManager fork) and fetches generated ids.
 * The ORMs take turns in one process (interleaved); each prints its median wall and CPU time and
 * tsmig's ratio to it, and the load average is printed before and after.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { EntitySchema as MikroSchema, MikroORM } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { MySqlDriver } from '@mikro-orm/mysql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { DataSource, EntitySchema as TypeOrmSchema } from 'typeorm';
import { DeclarativeBase, Session, createEngine, delete_, insert, mapped, select, t } from '../../src/index.ts';
import { ALL_DIALECTS, formatCount, formatMs, interleave, loadLine, renderTable, resolveTargets } from '../harness.ts';

const FLUSH = 10_000;
const LOAD = 100_000;
const TABLE = `${process.env.TSMIG_BENCH_PREFIX ?? 'tsmig_bench_'}cmp_movies`;

class CompareBase extends DeclarativeBase {}
class TsmigMovie extends CompareBase.model(TABLE, {
  id: mapped(t.Integer(), { primaryKey: true }),
  title: mapped(t.String(100)),
  rating: mapped(t.Float()),
  year: mapped(t.Integer()),
  created: mapped(t.DateTime()),
  flag: mapped(t.Boolean()),
}) {}

function makeData(count) {
  const start = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    title: `Movie number ${i + 1}`,
    rating: ((i * 37) % 100) / 10 + 0.25,
    year: 1900 + (i % 125),
    created: new Date(start + i * 61_001),
    flag: i % 3 === 0,
  }));
}

// ---- TypeORM -----------------------------------------------------------------------------------------

const typeOrmMovie = (dialect) =>
  new TypeOrmSchema({
    name: 'CmpMovie',
    tableName: TABLE,
    columns: {
      id: { type: Number, primary: true, generated: true },
      title: { type: String, length: 100 },
      rating: { type: 'float' },
      year: { type: 'int' },
      created: { type: dialect === 'postgresql' ? 'timestamp' : 'datetime' },
      flag: { type: Boolean },
    },
  });

async function typeOrm(target) {
  const { url, dialect } = target;
  const entity = typeOrmMovie(dialect);
  const common = { entities: [entity], synchronize: false, logging: false };
  const options =
    dialect === 'sqlite'
      ? { type: 'better-sqlite3', database: url.database, ...common }
      : {
          type: dialect === 'postgresql' ? 'postgres' : 'mysql',
          host: url.host ?? 'localhost',
          port: url.effectivePort,
          username: url.username ?? undefined,
          password: url.password ?? undefined,
          database: url.database ?? undefined,
          ...common,
        };
  const source = await new DataSource(options).initialize();
  return {
    name: 'TypeORM 1.1 (save / find)',
    flush: (data) => source.transaction((manager) => manager.save(entity, data.map((d) => manager.create(entity, d)), { chunk: 1000 })),
    load: async () => (await source.manager.find(entity)).length,
    close: () => source.destroy(),
  };
}

// ---- MikroORM ------------------------------------------------------------------------------------------

class MikroMovie {}
const mikroMovie = new MikroSchema({
  class: MikroMovie,
  tableName: TABLE,
  properties: {
    id: { type: 'number', primary: true, autoincrement: true },
    title: { type: 'string', length: 100 },
    rating: { type: 'double' },
    year: { type: 'number' },
    created: { type: 'Date' },
    flag: { type: 'boolean' },
  },
});

async function mikroOrm(target) {
  const { url, dialect } = target;
  const driver = { sqlite: BetterSqliteDriver, postgresql: PostgreSqlDriver, mysql: MySqlDriver }[dialect];
  const orm = await MikroORM.init({
    driver,
    entities: [mikroMovie],
    dbName: url.database,
    ...(dialect === 'sqlite' ? {} : { host: url.host ?? 'localhost', port: url.effectivePort, user: url.username ?? undefined, password: url.password ?? undefined }),
    debug: false,
    allowGlobalContext: true,
    discovery: { warnWhenNoEntities: false },
  });
  return {
    name: 'MikroORM 6.6 (persist / flush, find)',
    flush: async (data) => {
      const em = orm.em.fork();
      for (const d of data) em.persist(em.create(MikroMovie, d));
      await em.flush();
    },
    load: async () => (await orm.em.fork().find(MikroMovie, {})).length,
    close: () => orm.close(true),
  };
}

// ---- tsmig ---------------------------------------------------------------------------------------------

function tsmig(target) {
  const engine = createEngine(target.url);
  return {
    engine,
    name: 'tsmig (add / commit, select)',
    flush: async (data) => {
      const session = new Session(engine);
      try {
        session.addAll(data.map((d) => new TsmigMovie(d)));
        await session.commit();
      } finally {
        await session.close();
      }
    },
    load: async () => {
      const session = new Session(engine);
      try {
        return (await session.scalars(select(TsmigMovie))).all().length;
      } finally {
        await session.close();
      }
    },
    close: () => engine.dispose(),
  };
}

// ---- run -------------------------------------------------------------------------------------------------

/** `tsmig / other` of two medians, e.g. `0.64`. */
const ratio = (a, b) => (a / b).toFixed(2);

async function main() {
  const { values } = parseArgs({ options: { dialect: { type: 'string' }, reps: { type: 'string' }, warmup: { type: 'string' } } });
  const wanted = values.dialect?.split(',') ?? ALL_DIALECTS;
  const options = { reps: Number(values.reps ?? 5), warmup: Number(values.warmup ?? 1) };
  const { targets, skipped } = await resolveTargets(ALL_DIALECTS.filter((d) => wanted.includes(d)));
  for (const { dialect, reason } of skipped) console.log(`${dialect}: skipped: ${reason}`);
  console.log(loadLine('before'));
  const rows = [];
  for (const target of targets) {
    const base = tsmig(target);
    await base.engine.dropAll(CompareBase.metadata);
    await base.engine.createAll(CompareBase.metadata);
    const truncate = () => base.engine.begin((conn) => conn.execute(delete_(TsmigMovie.table)));
    const orms = [base];
    try {
      for (const [label, make] of [['TypeORM', typeOrm], ['MikroORM', mikroOrm]]) {
        try {
          orms.push(await make(target));
        } catch (error) {
          rows.push([target.dialect, `${label}: failed to start: ${String(error.message).split('\n')[0]}`, '', '', '', '']);
        }
      }
      // Interleaved (one ORM after the other, in reverse every other round), so that drift on the
      // machine lands on every ORM alike; CPU time is this process's, which other processes do not inflate.
      const data = makeData(FLUSH);
      process.stderr.write(`  ${target.dialect}: flush\n`);
      const flushes = await interleave(orms.map((orm) => ({ setup: truncate, run: () => orm.flush(data) })), options);
      await truncate();
      await base.engine.begin((conn) => conn.execute(insert(TsmigMovie.table), makeData(LOAD)));
      process.stderr.write(`  ${target.dialect}: load\n`);
      const loads = await interleave(
        orms.map((orm) => ({
          run: async () => {
            const loaded = await orm.load();
            if (loaded !== LOAD) throw new Error(`${orm.name} loaded ${loaded} rows, expected ${LOAD}`);
          },
        })),
        options,
      );
      orms.forEach((orm, i) => {
        const [flush, load] = [flushes[i], loads[i]];
        const versus = (timings, t) => (i === 0 ? '' : `${ratio(timings[0].medianMs, t.medianMs)} / ${ratio(timings[0].cpuMedianMs, t.cpuMedianMs)}`);
        rows.push([
          target.dialect,
          orm.name,
          `${formatMs(flush.medianMs)} (cpu ${formatMs(flush.cpuMedianMs)})  ${formatCount(Math.round((FLUSH * 1000) / flush.medianMs))} objects/s`,
          versus(flushes, flush),
          `${formatMs(load.medianMs)} (cpu ${formatMs(load.cpuMedianMs)})  ${formatCount(Math.round((LOAD * 1000) / load.medianMs))} objects/s`,
          versus(loads, load),
        ]);
      });
    } finally {
      for (const orm of orms) if (orm !== base) await orm.close();
      await base.engine.dropAll(CompareBase.metadata);
      await base.close();
    }
  }
  console.log(loadLine('after'));
  console.log(
    `\nflush ${formatCount(FLUSH)} new objects in one transaction; load ${formatCount(LOAD)} objects (median of ${options.reps} after ${options.warmup} warm-up, ` +
      'the ORMs interleaved; tsmig / ORM: ratio of the medians, wall / CPU)\n',
  );
  console.log(
    renderTable(
      ['dialect', 'ORM', `flush ${formatCount(FLUSH)}`, 'tsmig / ORM', `load ${formatCount(LOAD)}`, 'tsmig / ORM'],
      rows,
      new Set([2, 3, 4, 5]),
    ),
  );
}

await main();
