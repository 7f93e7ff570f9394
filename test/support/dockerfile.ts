/** The little of a Dockerfile the image tests need: each stage's COPY and RUN instructions, in order. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface DockerStage {
  name: string | null;
  /** COPY instructions: `from` set for `COPY --from=<stage>`. */
  copies: Array<{ from?: string; sources: string[]; dest: string }>;
  runs: string[];
}

/** Stages of `text` (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): DockerStage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const op = instruction!.toUpperCase();
    if (op === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(line)?.[1] ?? null, copies: [], runs: [] });
    const stage = stages.at(-1);
    if (!stage) continue;
    if (op === 'RUN') stage.runs.push(rest.join(' '));
    if (op === 'COPY') {
      const from = rest.find((a) => a.startsWith('--from='))?.slice('--from='.length);
      const args = rest.filter((a) => !a.startsWith('--'));
      stage.copies.push({ ...(from ? { from } : {}), sources: args.slice(0, -1), dest: args.at(-1)! });
    }
  }
  return stages;
}

/**
 * Copies what `stage`'s COPY instructions take from the build context (the tracked files of `root`,
 * as a clean clone has them) into `into`, as Docker would (a directory source lands as its contents).
 */
export function assembleContext(root: string, stage: DockerStage, into: string): void {
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const copy of stage.copies.filter((c) => !c.from)) {
    for (const source of copy.sources) {
      const files = tracked.filter((f) => f === source || f.startsWith(`${source}/`));
      if (files.length === 0) throw new Error(`COPY ${source}: nothing tracked by that name`);
      for (const file of files) {
        const target = file === source ? fileTarget(into, file, copy.dest) : path.join(into, copy.dest, path.relative(source, file));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(path.join(root, file), target);
      }
    }
  }
}

/** Where COPY puts a single file: into `dest` when it names a directory (`./`, `dir/`), else as `dest`. */
function fileTarget(into: string, file: string, dest: string): string {
  return dest === '.' || dest.endsWith('/') ? path.join(into, dest, path.basename(file)) : path.join(into, dest);
}
