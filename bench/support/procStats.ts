/**
 * What /proc says a process spent: CPU time of all its threads and of its main (JS) thread in ns
 * (schedstat), user and kernel time in clock ticks (stat), and read/write-family syscalls (io: libuv's
 * socket writes, e.g. one writev per pg statement, count here; uWS's send() does not).
 */
import fs from 'node:fs';

export interface ProcSample {
  cpuNs: number;
  mainNs: number;
  userTicks: number;
  sysTicks: number;
  syscw: number;
  syscr: number;
}

export const PROC_KEYS = ['cpuNs', 'mainNs', 'userTicks', 'sysTicks', 'syscw', 'syscr'] as const;

function schedNs(pid: number, task: string): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return 0; // a thread that ended between the listing and the read
  }
}

export function sampleProc(pid: number): ProcSample {
  let cpuNs = 0;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) cpuNs += schedNs(pid, task);
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const io = Object.fromEntries(
    fs
      .readFileSync(`/proc/${pid}/io`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(': ') as [string, string]),
  );
  return {
    cpuNs,
    mainNs: schedNs(pid, String(pid)),
    userTicks: Number(fields[11]),
    sysTicks: Number(fields[12]),
    syscw: Number(io.syscw),
    syscr: Number(io.syscr),
  };
}

export function procDelta(a: ProcSample, b: ProcSample): ProcSample {
  return Object.fromEntries(PROC_KEYS.map((k) => [k, b[k] - a[k]])) as unknown as ProcSample;
}
