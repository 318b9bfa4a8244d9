// Peak resident memory of this process's own address space. getrusage's ru_maxrss is not that on
// Linux: it keeps the high-water mark across fork and exec, so a child spawned by a parent that just
// rendered a 16-Mpixel scene reports the parent's peak. /proc/self/status VmHWM belongs to the
// current memory map only (reset at exec); getrusage is the fallback elsewhere.

import { readFileSync } from 'node:fs';

export function peakRssMiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {}
  return process.resourceUsage().maxRSS / 1024;
}
