import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReportWriter } from '../../../src/engine/report/reportBuilder.js';
import { claim, Sink, STATS, summarize } from './reportFixtures.js';

// The parts of SARIF 2.1.0 CardCheck emits, with the constraints GitHub code scanning checks.
const Region = z.object({
  startLine: z.number().int().min(1),
  startColumn: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
  snippet: z.object({ text: z.string() }).optional(),
}).strict();
const ArtifactLocation = z.object({ uri: z.string().min(1), uriBaseId: z.literal('%SRCROOT%').optional() }).strict();
const PhysicalLocation = z.object({ artifactLocation: ArtifactLocation, region: Region.optional() }).strict();
const Level = z.enum(['none', 'note', 'warning', 'error']);
const Result = z.object({
  ruleId: z.string(),
  ruleIndex: z.number().int().min(0),
  level: Level,
  message: z.object({ text: z.string().min(1) }),
  locations: z.array(z.object({ physicalLocation: PhysicalLocation }).strict()).length(1),
  relatedLocations: z.array(z.object({ id: z.number().int().min(0), physicalLocation: PhysicalLocation, message: z.object({ text: z.string() }) }).strict()).optional(),
  partialFingerprints: z.record(z.string(), z.string()),
  properties: z.record(z.string(), z.unknown()),
}).strict();
const Sarif = z.object({
  $schema: z.string().url(),
  version: z.literal('2.1.0'),
  runs: z.array(z.object({
    tool: z.object({
      driver: z.object({
        name: z.literal('CardCheck'),
        version: z.string().optional(),
        semanticVersion: z.string().optional(),
        informationUri: z.string().url(),
        rules: z.array(z.object({
          id: z.string(),
          name: z.string(),
          shortDescription: z.object({ text: z.string() }),
          fullDescription: z.object({ text: z.string() }),
          defaultConfiguration: z.object({ level: Level }),
        }).strict()),
      }).strict(),
    }),
    originalUriBaseIds: z.object({ '%SRCROOT%': z.object({ uri: z.string().regex(/^file:\/\/.*\/$/) }) }),
    columnKind: z.literal('utf16CodeUnits'),
    results: z.array(Result),
    invocations: z.array(z.object({
      executionSuccessful: z.boolean(),
      toolExecutionNotifications: z.array(z.object({
        level: Level,
        message: z.object({ text: z.string() }),
        locations: z.array(z.object({ physicalLocation: PhysicalLocation })).optional(),
      }).strict()),
    }).strict()).length(1),
    properties: z.object({ summary: z.unknown(), stats: z.unknown().optional() }),
  }).strict()).length(1),
}).strict();

async function run(claims = [claim('supported'), claim('contradicted'), claim('unverified'), claim('not-checkable')], extra = {}) {
  const out = new Sink();
  const w = createReportWriter('sarif', out, { workspaceRoot: '/repo/ws', cardFile: '/repo/docs/card.md', baseDir: '/repo', toolVersion: '0.1.0', ...extra });
  await w.start({ path: 'card.md', format: 'markdown' });
  for (const c of claims) await w.claim(c);
  await w.warning({ path: 'data/big.csv', message: 'skipped: larger than 2 MB' });
  await w.end(summarize(claims), STATS);
  return { sarif: Sarif.parse(JSON.parse(out.text)), claims };
}

describe('sarif report', () => {
  it('emits valid SARIF 2.1.0 with one rule per reported verdict', async () => {
    const { sarif } = await run();
    const driver = sarif.runs[0].tool.driver;
    expect(driver.rules.map((r) => [r.id, r.defaultConfiguration.level])).toEqual([
      ['cardcheck/contradicted', 'warning'],
      ['cardcheck/unverified', 'note'],
    ]);
    expect(driver.version).toBe('0.1.0');
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///repo/');
  });

  it('reports contradicted and unverified claims only, at their card location', async () => {
    const { sarif, claims } = await run();
    const results = sarif.runs[0].results;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([['cardcheck/contradicted', 'warning'], ['cardcheck/unverified', 'note']]);
    const contradicted = results[0];
    const c = claims[1];
    expect(contradicted.ruleIndex).toBe(0);
    expect(contradicted.message.text).toBe(c.explanation);
    expect(contradicted.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'docs/card.md', uriBaseId: '%SRCROOT%' },
      region: { startLine: c.range.start.line, startColumn: 5, endLine: c.range.end.line, endColumn: 30, snippet: { text: c.text } },
    });
  });

  it('points related locations at the evidence', async () => {
    const { sarif } = await run();
    const related = sarif.runs[0].results[0].relatedLocations ?? [];
    expect(related.map((r) => [r.id, r.physicalLocation.artifactLocation.uri, r.physicalLocation.region?.startLine])).toEqual([
      [1, 'ws/src/train.py', 41],
      [2, 'ws/configs/base.yaml', 3],
    ]);
    expect(related[0].message.text).toBe('contradicts: learning_rate=2e-5,');
    expect(sarif.runs[0].results[1].relatedLocations).toBeUndefined();
  });

  it('uses absolute file URIs outside the base directory and encodes paths', async () => {
    const c = claim('contradicted');
    c.evidence[0].path = 'my dir/train#1.py';
    const { sarif } = await run([c], { baseDir: '/repo/ws', cardFile: '/elsewhere/card.md' });
    const r = sarif.runs[0].results[0];
    expect(r.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/card.md' });
    expect(r.relatedLocations?.[0].physicalLocation.artifactLocation).toEqual({ uri: 'my%20dir/train%231.py', uriBaseId: '%SRCROOT%' });
  });

  it('gives the same claim the same fingerprint across runs', async () => {
    const c = claim('contradicted');
    const a = await run([c]);
    const b = await run([{ ...c, id: 'other-id', range: { start: { line: 99, column: 1 }, end: { line: 99, column: 2 } } }]);
    expect(a.sarif.runs[0].results[0].partialFingerprints).toEqual(b.sarif.runs[0].results[0].partialFingerprints);
  });

  it('lists warnings as tool notifications', async () => {
    const { sarif } = await run();
    const inv = sarif.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications).toEqual([{
      level: 'warning',
      message: { text: 'data/big.csv: skipped: larger than 2 MB' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'ws/data/big.csv', uriBaseId: '%SRCROOT%' } } }],
    }]);
  });

  it('is valid with no results and after an abort', async () => {
    const out = new Sink();
    const w = createReportWriter('sarif', out, { workspaceRoot: '/repo' });
    await w.start({ path: '/repo/card.md', format: 'markdown' });
    await w.claim(claim('supported'));
    await w.abort({ message: 'out of memory' });
    const sarif = Sarif.parse(JSON.parse(out.text));
    expect(sarif.runs[0].results).toEqual([]);
    const inv = sarif.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications.at(-1)).toMatchObject({ level: 'error', message: { text: 'run aborted: out of memory' } });
  });
});
