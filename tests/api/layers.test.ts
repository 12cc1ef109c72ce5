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
