import type { FileKind } from '../workspace/fileKind.js';
import type { WorkspaceFile } from '../workspace/walkWorkspace.js';
import type { Fact } from './fact.js';
import type { FactExtraction } from './factCollector.js';
import { extractIniFacts, extractJsonFacts, extractTomlFacts, extractYamlFacts, looksLikeResultsPath } from './configFacts.js';
import {
  extractCondaEnvFacts,
  extractPipfileFacts,
  extractPyprojectDependencyFacts,
  extractRequirementsFacts,
  extractSetupCfgDependencyFacts,
} from './dependencyFacts.js';
import { extractLicenseFacts } from './licenseFacts.js';
import { extractNotebookFacts } from './notebookFacts.js';
import { defaultExtractionThreads, sharedExtractionPool } from './extractionPool.js';
import { extractPythonFacts, extractPythonFactsAsync } from './pythonFacts.js';
import { extractDelimitedFacts, extractLogFacts } from './resultsFacts.js';
import type { TailInfo } from './resultsFacts.js';
import { extractShellFacts } from './shellFacts.js';
import { extractTextFacts } from './textFacts.js';

export type { FactExtraction } from './factCollector.js';
export type { TailInfo } from './resultsFacts.js';

function fileName(relPath: string): string {
  return (relPath.split(/[\\/]/).pop() ?? '').toLowerCase();
}

function merge(...parts: FactExtraction[]): FactExtraction {
  return { facts: parts.flatMap((p) => p.facts), warnings: parts.flatMap((p) => p.warnings) };
}

function byKind(file: WorkspaceFile, kind: FileKind, text: string, partial: 'tail' | undefined, tail: TailInfo | undefined): FactExtraction {
  const { relPath, flags } = file;
  const role = looksLikeResultsPath(relPath) ? 'results' : 'config';
  switch (kind) {
    case 'python':
      return { facts: extractPythonFacts(relPath, text, flags), warnings: [] };
    case 'notebook':
      return extractNotebookFacts(relPath, text, flags);
    case 'yaml':
      return extractYamlFacts(relPath, text, { flags, role });
    case 'json':
      return extractJsonFacts(relPath, text, { flags, role });
    case 'toml':
      return extractTomlFacts(relPath, text, { flags, role });
    case 'cfg':
      return fileName(relPath) === 'setup.cfg'
        ? merge(extractIniFacts(relPath, text, { flags }), extractSetupCfgDependencyFacts(relPath, text, { flags }))
        : extractIniFacts(relPath, text, { flags, role });
    case 'csv':
      return extractDelimitedFacts(relPath, text, ',', { flags, partial, ...tail });
    case 'tsv':
      return extractDelimitedFacts(relPath, text, '\t', { flags, partial, ...tail });
    case 'log':
      return extractLogFacts(relPath, text, { flags, partial, ...tail });
    case 'requirements':
      return fileName(relPath) === 'pipfile' ? extractPipfileFacts(relPath, text, { flags }) : extractRequirementsFacts(relPath, text, { flags });
    case 'pyproject': {
      const deps = extractPyprojectDependencyFacts(relPath, text, { flags });
      // An invalid file is reported once, by the dependency reader.
      if (deps.warnings.length > 0 && deps.facts.length === 0) return deps;
      return merge(deps, extractTomlFacts(relPath, text, { flags }));
    }
    case 'conda-env':
      return extractCondaEnvFacts(relPath, text, { flags });
    case 'license':
      return extractLicenseFacts(relPath, text, { flags });
    case 'shell':
      return extractShellFacts(relPath, text, { flags });
    case 'markdown':
    case 'text':
      return extractTextFacts(relPath, text, { flags });
    case 'other':
      return { facts: [], warnings: [] };
  }
}

/**
 * The facts one workspace file states, chosen by its kind. Never throws: a file that cannot be
 * read as its kind gives a warning naming the file and the problem, and no facts.
 * `partial: 'tail'` marks a metrics file read only at its end; `tail` says how its lines map.
 */
export function extractFacts(file: WorkspaceFile, text: string, partial?: 'tail', tail?: TailInfo): { facts: Fact[]; warnings: string[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return byKind(file, file.kind, body, partial, tail);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { facts: [], warnings: [`${file.relPath}: could not read facts from this ${file.kind} file: ${message.split('\n')[0]}`] };
  }
}

export interface ExtractRouting {
  /**
   * Worker threads for Python files and notebooks (EngineOptions.extractThreads): 0 extracts on
   * the calling thread; undefined takes defaultExtractionThreads().
   */
  threads?: number;
}

/**
 * extractFacts, with the costly kinds (Python files, notebooks) extracted on the shared pool's
 * worker threads (extractionPool.ts), or, without threads, Python parsed on libuv's pool (see
 * extractPythonFactsAsync): what the pipeline uses, so extraction overlaps with the rest of the
 * work. Same facts in the same order, same warnings.
 */
export async function extractFactsAsync(
  file: WorkspaceFile,
  text: string,
  partial?: 'tail',
  tail?: TailInfo,
  routing: ExtractRouting = {},
): Promise<{ facts: Fact[]; warnings: string[] }> {
  if (file.kind !== 'python' && file.kind !== 'notebook') return extractFacts(file, text, partial, tail);
  const pool = sharedExtractionPool(routing.threads ?? defaultExtractionThreads(), extractOnThisThread);
  return pool ? pool.extract(file, text, partial, tail) : extractOnThisThread(file, text, partial, tail);
}

async function extractOnThisThread(file: WorkspaceFile, text: string, partial?: 'tail', tail?: TailInfo): Promise<FactExtraction> {
  if (file.kind !== 'python') return extractFacts(file, text, partial, tail);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { facts: await extractPythonFactsAsync(file.relPath, body, file.flags), warnings: [] };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { facts: [], warnings: [`${file.relPath}: could not read facts from this ${file.kind} file: ${message.split('\n')[0]}`] };
  }
}
