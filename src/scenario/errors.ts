/** Errors of scenario files: each names file:line:column, the field path, and what was expected. */

/** Where an error points: a file and a 1-based line and column (0 when there is no position). */
export interface ErrorPos {
  file: string;
  line: number;
  col: number;
}

/**
 * A problem in a scenario or manifest file. The message reads
 * `scenarios/x.yaml:12:5: spec.actions[2].at: invalid duration "5 minutes" (expected ...)`.
 */
export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Field path (`spec.actions[2].at`, `spec.template.spec.containers[0].image`); "" for the whole file. */
  readonly field: string;
  /** The problem alone, without the position and field prefix. */
  readonly detail: string;
  /** Further problems found with this one (the other field errors of the same object). */
  readonly related: readonly ScenarioError[];

  /**
   * `detail` is the problem alone; the message adds `file:line:col: field: ` in front. Set
   * `fieldInDetail` when the detail already starts with the field (the apiserver's wording does).
   */
  constructor(
    at: ErrorPos,
    field: string,
    detail: string,
    opts: { related?: readonly ScenarioError[]; fieldInDetail?: boolean } = {},
  ) {
    super(formatProblem(at, opts.fieldInDetail ? "" : field, detail));
    this.name = "ScenarioError";
    this.file = at.file;
    this.line = at.line;
    this.col = at.col;
    this.field = field;
    this.detail = detail;
    this.related = opts.related ?? [];
  }
}

/** `file:line:col: field: detail`, leaving out the parts that are unknown. */
export function formatProblem(at: ErrorPos, field: string, detail: string): string {
  const where = at.line > 0 ? `${at.file}:${at.line}:${at.col}` : at.file;
  const prefix = where ? `${where}: ` : "";
  return `${prefix}${field ? `${field}: ` : ""}${detail}`;
}

/**
 * A problem at a character offset inside a one-line string (a predicate, a kubectl command line).
 * The loader turns the offset into a column of the YAML scalar that holds the string.
 */
export class TextError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = "TextError";
    this.offset = offset;
  }
}
