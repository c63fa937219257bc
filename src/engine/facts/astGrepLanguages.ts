import { registerDynamicLanguage } from '@ast-grep/napi';
import python from '@ast-grep/lang-python';

/** The name under which the Python grammar is registered; pass it to `parse`. */
export const PYTHON = 'python';

let registered = false;

/**
 * Registers the dynamic ast-grep grammars once per process. ast-grep documents
 * `registerDynamicLanguage` as "call exactly once", so every module that parses with a dynamic
 * language must go through here instead of registering on its own; add new grammars (yaml,
 * json...) to this one call.
 */
export function ensureAstGrepLanguages(): void {
  if (registered) return;
  registerDynamicLanguage({ [PYTHON]: python });
  registered = true;
}
