import { runCli } from './runCli.js';
import { ExitCode } from './exitCodes.js';

// Entry of dist/cli.js (bin/cardcheck.js requires it): it runs on load, so the command itself
// lives in runCli.ts where it can be imported without running.

// `cardcheck verify ... | head`: the reader leaving is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Ok);
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env })
  .then((code) => {
    process.exitCode = code;
    // Whatever the engine left running (a timer, a handle) must not keep CI waiting.
    setTimeout(() => process.exit(code), 2000).unref();
  })
  .catch((err: unknown) => {
    process.stderr.write(`cardcheck: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = ExitCode.Internal;
  });
