/** Prints data/bench/results-<mode>.json as the Markdown table of docs/performance.md: tsx scripts/bench/results-table.ts quick */
import { readFileSync } from 'node:fs';

const r = JSON.parse(readFileSync(`data/bench/results-${process.argv[2] ?? 'quick'}.json`, 'utf8'));
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(0)} s` : x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
console.log(`**${r.mode}** — ${r.learners.toLocaleString('en')} learners; exam phase ${r.examSeconds.toFixed(0)} s${r.capped ? ` (stopped by the ${r.capMinutes}-minute cap)` : ''}; started ${r.started}, submitted ${r.submitted}; answers acknowledged ${r.acknowledged}, **lost ${r.lost}**; server peak memory (VmHWM) ${r.peakMiB.toFixed(0)} MiB; load average ${r.machine.loadBefore}; ${r.at.slice(0, 16)} UTC.`);
console.log('');
console.log('| request | n | req/s | p50 | p95 | p99 | errors | req/s ÷ health |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const x of r.rows) console.log(`| ${x.kind} | ${x.n} | ${x.rate.toFixed(1)} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${x.errors} | ${x.ratio.toFixed(3)} |`);
