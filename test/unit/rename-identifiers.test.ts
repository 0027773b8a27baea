import { expect } from 'chai';
import { renameIdentifiers } from '../../src/util/rename-identifiers.js';

describe('autogenerate: renamed columns in reflected SQL text', () => {
  it('renames bare and quoted identifiers, never string literals or longer names', () => {
    const renames = new Map([['c2', 'c8']]);
    expect(renameIdentifiers(`c2 >= 8 AND "c2" <> 'c2' AND \`c2\` > 1 AND C2 < 3 AND c22 > 0 AND lower(c2) = 'x'`, renames)).to.equal(
      `c8 >= 8 AND "c8" <> 'c2' AND \`c8\` > 1 AND c8 < 3 AND c22 > 0 AND lower(c8) = 'x'`,
    );
  });

  it('leaves text without the renamed names unchanged', () => {
    expect(renameIdentifiers(`(qty > 0) AND note <> 'it''s c2'`, new Map([['c2', 'c8']]))).to.equal(`(qty > 0) AND note <> 'it''s c2'`);
  });
});
