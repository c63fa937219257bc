import { JsonReportWriter } from './jsonReport.js';
import { NdjsonReportWriter } from './ndjsonReport.js';
import type { ReportFormat, ReportWriter, ReportWriterOptions } from './reportWriter.js';
import { SarifReportWriter } from './sarifReport.js';
import { TextReportWriter } from './textReport.js';

export type { ReportCard, ReportFormat, ReportWriter, ReportWriterOptions } from './reportWriter.js';
export { REPORT_FORMATS } from './reportWriter.js';

/** A writer that streams a run's report in `format` to `out`, claim by claim. */
export function createReportWriter(format: ReportFormat, out: NodeJS.WritableStream, opts: ReportWriterOptions): ReportWriter {
  switch (format) {
    case 'json': return new JsonReportWriter(out, opts);
    case 'sarif': return new SarifReportWriter(out, opts);
    case 'text': return new TextReportWriter(out, opts);
    case 'ndjson': return new NdjsonReportWriter(out, opts);
  }
}
