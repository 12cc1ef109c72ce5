/** Prints the functions with the most self time in a V8 .cpuprofile: tsx scripts/bench/profile-top.ts <file> [N] */
import { readFileSync } from 'node:fs';

const prof = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }[]; samples: number[]; timeDeltas: number[] };
const self = new Map<string, number>();
const total = prof.nodes.reduce((n, x) => n + x.hitCount, 0);
for (const n of prof.nodes) {
  const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n.hitCount);
}
for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 40))) console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);

// Inclusive time of named functions (argv[4]: comma-separated names).
if (process.argv[4]) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const inclusive = (id: number): number => {
    const n = byId.get(id)!;
    return n.hitCount + (n.children ?? []).reduce((s, c) => s + inclusive(c), 0);
  };
  for (const name of process.argv[4].split(',')) {
    // outermost frames only: a node named `name` with no ancestor of the same name
    const parent = new Map<number, number>();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    let sum = 0;
    for (const n of prof.nodes) {
      if (n.callFrame.functionName !== name) continue;
      let p = parent.get(n.id);
      let nested = false;
      while (p !== undefined) {
        if (byId.get(p)!.callFrame.functionName === name) nested = true;
        p = parent.get(p);
      }
      if (!nested) sum += inclusive(n.id);
    }
    console.log(`inclusive ${((sum / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}
