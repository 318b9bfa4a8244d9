// Shared ending of the admin CLIs: run the command, print one line on failure, exit non-zero.
// Exit 3 = unusable configuration, 1 = anything else.
import type { Command } from 'commander';
import { ConfigError } from '../config/config-error';

export function runCli(name: string, program: Command): void {
  // The AWS SDK warns on stderr that its 2027 releases drop Node 20; this project runs Node 20 on
  // purpose, and the CLIs promise one line on stderr per failure, so the notice stays off here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  program.exitOverride();
  program.parseAsync(process.argv).then(
    () => {},
    (error: unknown) => {
      const code = (error as { code?: string }).code;
      // commander has printed help, the version or its own usage message already.
      if (typeof code === 'string' && code.startsWith('commander.')) {
        process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name}: ${reason.split('\n')[0]}\n`);
      process.exitCode = error instanceof ConfigError ? 3 : 1;
    },
  );
}

export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );
}
