import type { Summary } from '../engine/model.js';

/** Process exit statuses; CI scripts branch on these, so they are part of the CLI's contract. */
export const ExitCode = {
  Ok: 0,
  /** The run finished and the --fail-on level was reached. */
  FailOn: 1,
  /** Bad arguments or bad input (missing card, corrupt DOCX, workspace not a folder). */
  Usage: 2,
  /** A bug: the engine failed in a way no input explains. */
  Internal: 3,
  /** Stopped by SIGINT / SIGTERM. */
  Interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const FAIL_ON_LEVELS = ['contradicted', 'unverified', 'never'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** `contradicted` trips on any contradiction; `unverified` also on unverified claims; `never` never. */
export function exitCodeFor(summary: Summary, failOn: FailOn): ExitCodeValue {
  if (failOn === 'never') return ExitCode.Ok;
  const bad = summary.contradicted + (failOn === 'unverified' ? summary.unverified : 0);
  return bad > 0 ? ExitCode.FailOn : ExitCode.Ok;
}
