/**
 * The parts of a code example a developer replaces with their own (a key, a token, a file), and
 * the generated-file comment, in the page's language: an English page shows no Chinese code.
 */
export interface CodePlaceholders {
  apiKey: string;
  accessToken: string;
  file: string;
  recordKey: string;
  /** the comment beside the import of the generated types */
  generatedBy: string;
}
