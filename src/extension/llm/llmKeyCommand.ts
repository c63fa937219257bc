import * as vscode from 'vscode';
import { keyInputAction, LLM_API_KEY_SECRET, validateKeyInput } from './llmKeyInput.js';

/**
 * Stores (or, for an empty answer, deletes) the key in VS Code's SecretStorage. The command and
 * the extension's API both come here, so there is one storage path. Throws on a malformed key
 * without repeating it.
 */
export async function storeLlmApiKey(secrets: vscode.SecretStorage, input: string | undefined): Promise<'kept' | 'deleted' | 'stored'> {
  const what = keyInputAction(input);
  switch (what.action) {
    case 'keep':
      return 'kept';
    case 'delete':
      await secrets.delete(LLM_API_KEY_SECRET);
      return 'deleted';
    case 'store': {
      const invalid = validateKeyInput(what.key);
      if (invalid) throw new Error(invalid);
      await secrets.store(LLM_API_KEY_SECRET, what.key);
      return 'stored';
    }
  }
}

/** `CardCheck: Set LLM API Key`: a password input box, then SecretStorage. */
export async function setLlmApiKeyCommand(secrets: vscode.SecretStorage, log: vscode.LogOutputChannel): Promise<void> {
  const had = (await secrets.get(LLM_API_KEY_SECRET)) !== undefined;
  const input = await vscode.window.showInputBox({
    title: 'CardCheck: LLM API Key',
    prompt: had
      ? 'A key is stored. Enter a new key to replace it, or leave empty and press Enter to remove it.'
      : 'API key of the OpenAI-compatible endpoint (setting cardcheck.llm.baseUrl). Kept in VS Code\'s secret storage.',
    password: true,
    ignoreFocusOut: true,
    placeHolder: had ? '(leave empty to remove the stored key)' : 'sk-…',
    validateInput: validateKeyInput,
  });
  const result = await storeLlmApiKey(secrets, input);
  if (result === 'kept') return;
  // Only what happened is logged, never the key.
  log.info(result === 'stored' ? 'LLM API key stored in the secret storage' : 'LLM API key removed from the secret storage');
  void vscode.window.showInformationMessage(result === 'stored' ? 'CardCheck: LLM API key saved.' : 'CardCheck: LLM API key removed.');
}
