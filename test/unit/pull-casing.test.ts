/** How `tsmig pull` turns database names into TypeScript names. */
import { expect } from 'chai';
import { caseName, NameAllocator } from '../../src/migrate/pull/casing.js';

describe('pull: names in the project casing', () => {
  it('camel, snake and preserve from snake_case, PascalCase and odd names', () => {
    expect(['film_actor', 'InvoiceLine', 'HTTPLog', 'order items'].map((n) => caseName(n, 'camel'))).to.deep.equal(['filmActor', 'invoiceLine', 'httplog', 'orderItems']);
    expect(['film_actor', 'InvoiceLine', 'order items'].map((n) => caseName(n, 'snake'))).to.deep.equal(['film_actor', 'invoice_line', 'order_items']);
    expect(['InvoiceLine', 'order items', '2fa'].map((n) => caseName(n, 'preserve'))).to.deep.equal(['InvoiceLine', 'order_items', '_2fa']);
  });

  it('never hands out a reserved word, an imported name or the same name twice', () => {
    const names = new NameAllocator('camel', 'Table');
    expect(['class', 'metadata', 'Table', 'film_actor', 'FilmActor', 'filmActor'].map((n) => names.allocate(n))).to.deep.equal([
      'classTable',
      'metadataTable',
      'table',
      'filmActor',
      'filmActorTable',
      'filmActorTable2',
    ]);
    expect(new NameAllocator('snake', 'Table').allocate('package')).to.equal('package_table');
  });
});
