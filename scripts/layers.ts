/**
 * The dependency rule of the server (docs/architecture.md), checked from the source: `npm run layers`
 * prints what breaks it, tests/api/layers.test.ts fails on it.
 *
 * - db/ (schema, connection, group commit) imports nothing from server/, site/ or scripts/;
 *   locales/ (data) may be read by anyone;
 * - server/lib imports nothing from server/modules;
 * - a module of server/modules imports only modules of lower layers (LAYERS, lowest first) and,
 *   inside its own layer, only modules listed before it; upward needs go through server/lib/hooks.ts;
 * - no import cycle between files of server/ and db/ (type-only imports included: they are the
 *   same knot for a reader, even when they vanish at run time).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/** The layers of server/modules, lowest first; inside a layer, a module may use those before it. */
export const LAYERS: { name: string; modules: string[] }[] = [
  { name: 'foundation', modules: ['audit', 'settings', 'outbox', 'organisations', 'auth', 'notifications', 'people'] },
  { name: 'records', modules: ['obligation', 'policy', 'records', 'certificates'] },
  { name: 'assessment', modules: ['quiz'] },
  { name: 'content', modules: ['catalog', 'scorm'] },
  { name: 'learning', modules: ['learning', 'feedback', 'qa'] },
  { name: 'authoring', modules: ['authoring', 'review'] },
  { name: 'HR, academy and integration', modules: ['admin', 'hr', 'plan', 'reports', 'academy', 'export', 'reminders', 'calendar', 'system', 'attestation'] },
];

export type Violation = { from: string; to: string; rule: string };

const ROOT = normalize(join(dirname(new URL(import.meta.url).pathname), '..'));
const ALIASES: Record<string, string> = { '@server/': 'server/', '@db/': 'db/', '@site/': 'site/', '@locales/': 'locales/', '@scripts/': 'scripts/', '@tests/': 'tests/' };

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'migrations' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The project files a file imports (relative or aliased), as paths from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) specifiers.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) specifiers.push(node.argument.literal.text);
    else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) specifiers.push(node.name.text); // module augmentation
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.flatMap((s) => {
    const alias = Object.keys(ALIASES).find((a) => s.startsWith(a));
    const base = alias ? ALIASES[alias]! + s.slice(alias.length) : s.startsWith('.') ? relative(ROOT, join(ROOT, dirname(file), s)) : null;
    if (base === null) return [];
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
      try {
        if (statSync(join(ROOT, candidate)).isFile()) return [normalize(candidate)];
      } catch {
        // not this one
      }
    }
    return [normalize(base)];
  });
}

/** Where a file sits: 'db', 'lib', a module's name, 'site', 'scripts', or null (anything else). */
function unitOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] === 'db') return 'db';
  if (parts[0] === 'server' && parts[1] === 'lib') return 'lib';
  if (parts[0] === 'server' && parts[1] === 'modules') return parts.length > 3 ? parts[2]! : 'modules';
  if (parts[0] === 'site' || parts[0] === 'scripts') return parts[0];
  if (parts[0] === 'server') return 'server';
  return null;
}

/** The imports of every file of server/ and db/, as paths from the project root. */
export function importGraph(): Map<string, string[]> {
  const files = [...sourceFiles('server'), ...sourceFiles('db')];
  return new Map(files.map((f) => [f, importsOf(f)]));
}

export function checkLayers(graph = importGraph()): Violation[] {
  const rank = new Map(LAYERS.flatMap((l) => l.modules).map((m, i) => [m, i]));
  const out: Violation[] = [];
  for (const [from, targets] of graph) {
    const a = unitOf(from)!;
    for (const to of targets) {
      const b = unitOf(to);
      if (b === 'site' || b === 'scripts') out.push({ from, to, rule: `server/ and db/ never import ${b}/` });
      else if (a === 'db' && b !== 'db') out.push({ from, to, rule: 'db/ imports nothing from server/' });
      else if (a === 'lib' && b !== null && b !== 'lib' && b !== 'db') out.push({ from, to, rule: 'server/lib imports no module' });
      else if (rank.has(a) && rank.has(b!) && a !== b && rank.get(b!)! > rank.get(a)!) out.push({ from, to, rule: `module ${a} may not import ${b}, which is above it (use a hook: server/lib/hooks.ts)` });
      else if (b !== null && a !== b && [a, b].some((u) => !['db', 'lib', 'server', 'modules'].includes(u) && !rank.has(u)))
        out.push({ from, to, rule: `${rank.has(a) ? b : a} is missing from LAYERS in scripts/layers.ts` });
    }
  }
  // Import cycles between files: depth-first search with colours.
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (!graph.has(t)) continue;
      if (state.get(t) === 'open') out.push({ from: f, to: t, rule: `import cycle: ${[...stack.slice(stack.indexOf(t)), t].join(' → ')}` });
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(relative(ROOT, process.argv[1]))) {
  const found = checkLayers();
  for (const v of found) console.log(`${v.from} → ${v.to}: ${v.rule}`);
  console.log(found.length ? `${found.length} violations` : 'layers: every import runs downward, no cycle');
  process.exit(found.length ? 1 : 0);
}
