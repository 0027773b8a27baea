/**
 * The normalised source a revision's checksum is taken of: comments and the whitespace between tokens do
 * not count; code, strings (SQL text), template literals and regular expressions do, character for
 * character. `Replaces checksum:` lines, written by squash, are read back from the doc comment.
 */
import { expect } from 'chai';
import { normaliseRevisionSource, replacedChecksums, revisionChecksum } from '../../src/migrate/script/revision-checksum.js';

const FILE = `/**
 * add movies
 *
 * Revision ID: a1
 * Create Date: 2026-01-01
 */
import { op } from 'tsmig';

export async function upgrade(): Promise<void> {
  // the table of films
  await op.execute('CREATE TABLE movies (id  INTEGER)');
}
`;

describe('revision checksums', () => {
  it('ignores comments, the doc comment and reformatting', () => {
    const reformatted = FILE.replace('add movies', 'add the movies table')
      .replace('// the table of films', '/* reviewed */')
      .replace(/\n {2}/g, '\n    ')
      .replace('upgrade(): Promise<void> {', 'upgrade(  ) :  Promise<void>\n{');
    expect(revisionChecksum(reformatted)).to.equal(revisionChecksum(FILE));
    expect(normaliseRevisionSource(FILE)).to.equal(
      "import{op}from'tsmig';export async function upgrade():Promise<void>{await op.execute('CREATE TABLE movies (id  INTEGER)');}",
    );
  });

  it('counts code and the text of strings, templates and regular expressions', () => {
    expect(revisionChecksum(FILE.replace("'CREATE TABLE movies (id  INTEGER)'", "'CREATE TABLE movies (id INTEGER)'"))).not.to.equal(revisionChecksum(FILE));
    expect(revisionChecksum(FILE.replace('await op', 'op'))).not.to.equal(revisionChecksum(FILE));
    expect(normaliseRevisionSource('const a = `x  // ${ "y  /* z */" }  `; // gone')).to.equal('const a=`x  // ${ "y  /* z */" }  `;');
    expect(normaliseRevisionSource("const r = /a\\/\\/ b[/]/g; const d = x / 2 / y; // c")).to.equal('const r=/a\\/\\/ b[/]/g;const d=x/2/y;');
    expect(normaliseRevisionSource('return  x')).to.equal('return x');
  });

  it('reads the checksums a squashed file replaces', () => {
    const hex = 'ab'.repeat(32);
    expect(replacedChecksums(`/**\n * Create Date: x\n * Replaces checksum: ${hex}\n */\n`)).to.deep.equal([hex]);
    expect(replacedChecksums(`// Replaces checksum: ${hex}\nexport {};`)).to.deep.equal([hex]);
  });
});
