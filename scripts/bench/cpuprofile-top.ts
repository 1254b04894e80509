/**
 * `tsx scripts/bench/cpuprofile-top.ts <file.cpuprofile> [rows] [filter]`: the functions with the
 * most self time in a V8 CPU profile (node --cpu-prof, BENCH_CPU_PROF of the HTTP bench), and the
 * same time summed by package (node_modules/<name>, node: internals, our src/), so a profile can
 * be read without a browser. With `filter`, also the total (self + callees) time of every function
 * whose name or file contains it.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg, filter] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpuprofile-top <file.cpuprofile> [rows] [filter]\n');
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

// Time per sample: the delta that follows it (V8 records the gap before the next sample).
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

const where = (node: ProfileNode): string => {
  const { url, lineNumber } = node.callFrame;
  const short = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/');
  return short ? `${short}:${lineNumber + 1}` : '(native)';
};
const label = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'} ${where(node)}`;
const packageOf = (node: ProfileNode): string => {
  const url = node.callFrame.url;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return 'node (internals)';
  if (url.includes('/src/')) return `src/${url.split('/src/')[1]!.split('/')[0]}`;
  return url ? 'other' : `(${node.callFrame.functionName || 'native'})`;
};

const sumBy = (key: (node: ProfileNode) => string) => {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node) sums.set(key(node), (sums.get(key(node)) ?? 0) + us);
  }
  return [...sums.entries()].sort((a, b) => b[1] - a[1]);
};
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;

process.stdout.write(`${(total / 1000).toFixed(0)} ms sampled\n\nself time by function\n`);
for (const [name, us] of sumBy(label).slice(0, rows)) process.stdout.write(`${pct(us)}  ${name}\n`);
process.stdout.write('\nself time by package\n');
for (const [name, us] of sumBy(packageOf).slice(0, rows))
  process.stdout.write(`${pct(us)}  ${name}\n`);

if (filter) {
  // Total time of a node: its self time plus its subtree's; summed per function label.
  const totalOf = new Map<number, number>();
  const visit = (id: number): number => {
    const node = byId.get(id)!;
    let sum = selfUs.get(id) ?? 0;
    for (const child of node.children ?? []) sum += visit(child);
    totalOf.set(id, sum);
    return sum;
  };
  visit(profile.nodes[0]!.id);
  const sums = new Map<string, number>();
  for (const node of profile.nodes) {
    const name = label(node);
    if (!name.includes(filter)) continue;
    // Recursive frames would count twice; good enough for a first look.
    sums.set(name, (sums.get(name) ?? 0) + (totalOf.get(node.id) ?? 0));
  }
  process.stdout.write(`\ntotal time (self + callees) of functions matching "${filter}"\n`);
  for (const [name, us] of [...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, rows))
    process.stdout.write(`${pct(us)}  ${name}\n`);
}
