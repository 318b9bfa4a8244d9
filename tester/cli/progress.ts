// Progress bars for long tester work (cli-progress on stderr; it draws nothing when stderr is not a
// terminal, so logs and tests stay clean).
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  increment(by?: number): void;
  stop(): void;
}

export function terminalProgress(): Progress {
  let bar: SingleBar | undefined;
  return {
    start(total, label) {
      bar?.stop();
      bar = new SingleBar(
        {
          format: `${label.padEnd(14)} [{bar}] {value}/{total} {percentage}% | {duration_formatted}`,
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    increment(by = 1) {
      bar?.increment(by);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
