import * as vscode from 'vscode';
import type { Range } from '../engine/model.js';
import type { Span } from './diagnostics/rangeTracking.js';

/** Report ranges are 1-based (lines and columns); VS Code's are 0-based. End columns are exclusive in both. */
export function toVsRange(r: Range): vscode.Range {
  const sl = Math.max(0, r.start.line - 1);
  const sc = Math.max(0, r.start.column - 1);
  const el = Math.max(sl, r.end.line - 1);
  const ec = el === sl ? Math.max(sc, r.end.column - 1) : Math.max(0, r.end.column - 1);
  return new vscode.Range(sl, sc, el, ec);
}

export function toSpan(r: Range): Span {
  const v = toVsRange(r);
  return { start: { line: v.start.line, character: v.start.character }, end: { line: v.end.line, character: v.end.character } };
}

export function spanToVs(s: Span): vscode.Range {
  return new vscode.Range(s.start.line, s.start.character, s.end.line, s.end.character);
}

export function vsToSpan(r: vscode.Range): Span {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}
