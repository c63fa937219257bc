/** Why a card could not be loaded; lets callers (CLI exit codes, UI) react without parsing messages. */
export type CardLoadProblem =
  | 'not-found'
  | 'directory'
  | 'unreadable'
  | 'empty'
  | 'too-large'
  | 'binary'
  | 'invalid-docx'
  | 'unsupported';

/** A card that cannot be turned into a CardDocument. The message names the file and the problem. */
export class CardLoadError extends Error {
  override readonly name = 'CardLoadError';

  constructor(
    readonly path: string,
    readonly problem: CardLoadProblem,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load model card ${path}: ${detail}`, options);
  }
}
