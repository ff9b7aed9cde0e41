import { describe, expect, it } from 'vitest';
import { inspectBytes, parseArgs, policyFrom } from '../../../src/cli/index.js';
import { fixtureBytes } from './fixtures.js';

describe('rebote CLI (the part bundled from src/cli)', () => {
  it('parses arguments', () => {
    expect(parseArgs([])).toEqual({ command: 'help' });
    expect(parseArgs(['inspect'])).toEqual({ command: 'inspect', paths: ['-'], jobs: 1, quiet: false });
    expect(parseArgs(['inspect', '-q', '--jobs', 'auto', 'a.eml', '-', 'dir'])).toEqual({ command: 'inspect', paths: ['a.eml', '-', 'dir'], jobs: 'auto', quiet: true });
    expect(parseArgs(['inspect', '--jobs=3', '--', '-weird-name.eml'])).toMatchObject({ jobs: 3, paths: ['-weird-name.eml'] });
    expect(parseArgs(['inspect', '--jobs', '0'])).toMatchObject({ command: 'error' });
    expect(parseArgs(['inspect', '--frobnicate'])).toMatchObject({ command: 'error' });
    expect(parseArgs(['frobnicate'])).toMatchObject({ command: 'error' });
  });

  it('prints one NDJSON line per event with the file, the format and the suppression', async () => {
    const policy = policyFrom({});
    const r = await inspectBytes('x/lhost-mailru-03.eml', fixtureBytes('lhost-mailru-03.eml'), policy);
    expect(r).toMatchObject({ events: 2, ignored: 0, rejected: 0, format: 'exim' });
    const lines = r.lines.map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file, l.format, l.recipient, l.bounce.reason, l.suppression])).toEqual([
      ['x/lhost-mailru-03.eml', 'exim', 'mikeneko@example.jp', 'mailboxfull', null],
      ['x/lhost-mailru-03.eml', 'exim', 'sabineko@example.jp', 'userunknown', 'hard_bounce'],
    ]);
  });

  it('computes the soft-bounce suppression with the policy it is given', async () => {
    const r = await inspectBytes('f', fixtureBytes('lhost-mailru-03.eml'), policyFrom({ SOFT_BOUNCE_LIMIT: '1' }));
    expect(JSON.parse(r.lines[0]!).suppression).toBe('soft_bounce_limit');
  });

  it('reports an error instead of throwing on bytes mailparser cannot read', async () => {
    const r = await inspectBytes('empty', new Uint8Array(0), policyFrom({}));
    expect(r.lines).toEqual([]);
    expect(r.error === undefined || typeof r.error === 'string').toBe(true);
  });
});
