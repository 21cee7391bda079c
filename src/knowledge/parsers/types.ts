import type { Section } from '../chunker';
import { AppError } from '../../errors';

/** What a parser extracts from one file. */
export interface ParsedDocument {
  title: string;
  sections: Section[];
  /** Access groups declared inside the document (Markdown/text front matter). */
  groups?: string[];
  /** Public URL declared inside the document. */
  url?: string;
  /** Language declared in front matter (`language: zh-CN`); otherwise detected from the text at ingest. */
  language?: string;
}

/** Raised for a file that cannot be parsed; ingest reports it and continues. */
export class DocumentParseError extends AppError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('DOCUMENT_PARSE', `${file}: ${message}`, options);
  }
}
