import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkLayers, importGraph } from '@scripts/layers';

describe('dependencies run one way (docs/architecture.md)', () => {
  it('every import of server/ and db/ runs downward and no import cycle exists', () => {
    expect(checkLayers()).toEqual([]);
  });

  it('the check catches an upward import, a cycle, db/ reaching into server/ and server/lib into a module', () => {
    const graph = importGraph();
    const add = (from: string, to: string) => graph.set(from, [...(graph.get(from) ?? []), to]);
    add('server/modules/quiz/service.ts', 'server/modules/learning/service.ts');
    add('server/modules/catalog/media.ts', 'server/modules/catalog/service.ts');
    add('db/schema/quiz.ts', 'server/modules/quiz/service.ts');
    add('server/lib/http.ts', 'server/modules/auth/service.ts');
    const rules = checkLayers(graph).map((v) => v.rule);
    expect(rules).toContain('module quiz may not import learning, which is above it (use a hook: server/lib/hooks.ts)');
    expect(rules.some((r) => r.startsWith('import cycle: ') && r.includes('server/modules/catalog/media.ts'))).toBe(true);
    expect(rules).toContain('db/ imports nothing from server/');
    expect(rules).toContain('server/lib imports no module');
  });
});

describe('one database handle type (docs/architecture.md, "Database handles")', () => {
  it('no file of server/, db/, site/ or scripts/ casts a transaction to DB: services take it as it is', () => {
    // git grep answers 1 when nothing matches, 0 with the files that do
    const found = spawnSync('git', ['grep', '-l', '-E', 'as unknown as (DB|RootDB)\\b', '--', 'server', 'db', 'site', 'scripts'], { encoding: 'utf8' });
    expect(found.stdout.trim()).toBe('');
    expect(found.status).toBe(1);
  });
});
