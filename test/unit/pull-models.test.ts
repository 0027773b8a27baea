/** Which tables `tsmig pull` makes classes of, and the relationships it infers from their foreign keys. */
import { expect } from 'chai';
import { tableDefFromTable } from '../../src/migrate/operations/table-def.js';
import { planModels, type PlannedEntity } from '../../src/migrate/pull/model-plan.js';
import { MetaData } from '../../src/schema/metadata.js';
import { column } from '../../src/schema/column.js';
import { Table } from '../../src/schema/table.js';
import { t } from '../../src/types/index.js';

function schema(): MetaData {
  const m = new MetaData();
  new Table('language', m, { language_id: column(t.Integer(), { primaryKey: true }), name: column(t.String(20)) });
  new Table('film', m, {
    film_id: column(t.Integer(), { primaryKey: true }),
    language_id: column(t.Integer(), { foreignKey: 'language.language_id' }),
    original_language_id: column(t.Integer(), { foreignKey: 'language.language_id' }),
  });
  new Table('Employee', m, {
    EmployeeId: column(t.Integer(), { primaryKey: true }),
    ReportsTo: column(t.Integer(), { foreignKey: 'Employee.EmployeeId' }),
  });
  new Table('PlaylistTrack', m, {
    PlaylistId: column(t.Integer(), { primaryKey: true, foreignKey: 'Playlist.PlaylistId' }),
    TrackId: column(t.Integer(), { primaryKey: true, foreignKey: 'Track.TrackId' }),
  });
  new Table('Playlist', m, { PlaylistId: column(t.Integer(), { primaryKey: true }) });
  new Table('Track', m, { TrackId: column(t.Integer(), { primaryKey: true }) });
  new Table('passport', m, { id: column(t.Integer(), { primaryKey: true }), film_id: column(t.Integer(), { unique: true, foreignKey: 'film.film_id' }) });
  new Table('log', m, { line: column(t.Text()) });
  return m;
}

function summary(entity: PlannedEntity): string[] {
  return entity.relationships.map((r) => {
    const options = [
      r.secondary === undefined ? '' : ` secondary=${r.secondary}`,
      r.foreignKeys === undefined ? '' : ` foreignKeys=${r.foreignKeys.model}.${r.foreignKeys.keys.join(',')}`,
      r.remoteSide === undefined ? '' : ` remoteSide=${r.remoteSide.join(',')}`,
      r.uselistFalse === true ? ' uselist=false' : '',
    ].join('');
    return `${r.key}: ${r.list ? `${r.target}[]` : r.target} <-> ${r.backPopulates}${options}`;
  });
}

describe('pull: declarative models and their relationships', () => {
  const defs = [...schema().tables.values()].map(tableDefFromTable);
  const plan = planModels(defs, 'camel');
  const entity = (name: string) => plan.entities.find((e) => e.def.name === name)!;

  it('classes for tables with a key; Tables for association tables and keyless ones', () => {
    expect(plan.entities.map((e) => `${e.kind} ${e.name}`)).to.deep.equal([
      'model Language',
      'model Film',
      'model Employee',
      'table playlistTrack',
      'model Playlist',
      'model Track',
      'model Passport',
      'table log',
    ]);
    expect([...entity('film').keys.values()]).to.deep.equal(['filmId', 'languageId', 'originalLanguageId']);
    expect([...entity('PlaylistTrack').keys.values()]).to.deep.equal(['PlaylistId', 'TrackId']);
  });

  it('two foreign keys to one table: foreignKeys on both sides, the plain name for the path named after the table', () => {
    expect(summary(entity('film'))).to.deep.equal([
      'language: Language <-> films foreignKeys=Film.languageId',
      'originalLanguage: Language <-> originalLanguageFilms foreignKeys=Film.originalLanguageId',
      'passport: Passport <-> film uselist=false',
    ]);
    expect(summary(entity('language'))).to.deep.equal([
      'films: Film[] <-> language foreignKeys=Film.languageId',
      'originalLanguageFilms: Film[] <-> originalLanguage foreignKeys=Film.originalLanguageId',
    ]);
    expect(entity('film').relationships[0]!.comment).to.equal('Several foreign keys lead from film to language: this relationship follows language_id.');
  });

  it('a self-reference gets remoteSide; a name taken by a column gets the target added', () => {
    expect(summary(entity('Employee'))).to.deep.equal([
      'reportsToEmployee: Employee <-> reportsToEmployees remoteSide=employeeId',
      'reportsToEmployees: Employee[] <-> reportsToEmployee',
    ]);
  });

  it('an association table is a secondary many-to-many; a unique foreign key is one-to-one', () => {
    expect(summary(entity('Playlist'))).to.deep.equal(['tracks: Track[] <-> playlists secondary=playlistTrack']);
    expect(summary(entity('Track'))).to.deep.equal(['playlists: Playlist[] <-> tracks secondary=playlistTrack']);
    expect(summary(entity('passport'))).to.deep.equal(['film: Film <-> passport']);
  });

  it('snake casing for attributes and relationships', () => {
    const snake = planModels(defs, 'snake');
    const film = snake.entities.find((e) => e.def.name === 'film')!;
    expect([...film.keys.values()]).to.deep.equal(['film_id', 'language_id', 'original_language_id']);
    expect(film.relationships.map((r) => r.key)).to.deep.equal(['language', 'original_language', 'passport']);
  });
});
