import type * as vscode from 'vscode';

/** Lines kept, each cut to this many characters: a bounded tail, whatever a run logs. */
const KEEP_LINES = 300;
const MAX_LINE_CHARS = 2000;

/**
 * The Output channel, with the last lines it was given kept in memory at every level (debug
 * included, which the channel itself may not write). The extension's API exposes the tail so the
 * integration tests can check what was logged, e.g. that no run logs the LLM key.
 */
export class RecordingLogChannel implements vscode.LogOutputChannel {
  private readonly lines: string[] = [];

  constructor(private readonly channel: vscode.LogOutputChannel) {}

  get name(): string {
    return this.channel.name;
  }

  get logLevel(): vscode.LogLevel {
    return this.channel.logLevel;
  }

  get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.channel.onDidChangeLogLevel;
  }

  /** The most recent lines, oldest first. */
  recent(): string[] {
    return [...this.lines];
  }

  trace(message: string, ...args: unknown[]): void {
    this.record('trace', message, args);
    this.channel.trace(message, ...args);
  }

  debug(message: string, ...args: unknown[]): void {
    this.record('debug', message, args);
    this.channel.debug(message, ...args);
  }

  info(message: string, ...args: unknown[]): void {
    this.record('info', message, args);
    this.channel.info(message, ...args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.record('warning', message, args);
    this.channel.warn(message, ...args);
  }

  error(error: string | Error, ...args: unknown[]): void {
    this.record('error', typeof error === 'string' ? error : `${error.name}: ${error.message}`, args);
    this.channel.error(error, ...args);
  }

  append(value: string): void {
    this.record('', value, []);
    this.channel.append(value);
  }

  appendLine(value: string): void {
    this.record('', value, []);
    this.channel.appendLine(value);
  }

  replace(value: string): void {
    this.record('', value, []);
    this.channel.replace(value);
  }

  clear(): void {
    this.channel.clear();
  }

  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(a?: boolean | vscode.ViewColumn, b?: boolean): void {
    if (typeof a === 'boolean' || a === undefined) this.channel.show(a);
    else this.channel.show(a, b);
  }

  hide(): void {
    this.channel.hide();
  }

  dispose(): void {
    this.channel.dispose();
  }

  private record(level: string, message: string, args: unknown[]): void {
    const extra = args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a) ?? String(a)));
    const line = [level ? `[${level}]` : '', message, ...extra].filter((p) => p !== '').join(' ');
    this.lines.push(line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line);
    if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
  }
}
