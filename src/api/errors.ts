/** API errors and field errors, worded as the Kubernetes apiserver words them. */

/** One field problem, as Kubernetes' field.Error (apimachinery/pkg/util/validation/field/errors.go). */
export interface FieldError {
  type:
    | "Invalid"
    | "Required"
    | "Unsupported"
    | "Duplicate"
    | "Forbidden"
    | "TooLong"
    | "TooMany"
    | "NotFound";
  /** Field path as Kubernetes prints it, e.g. `spec.template.spec.containers[0].image`. */
  field: string;
  value?: unknown;
  detail?: string;
  /** For Unsupported: the values that are supported. */
  supported?: string[];
}

function formatValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || v === undefined) return "null";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Formats a field error exactly like field.Error.Error(), e.g. `spec.replicas: Invalid value: -1: must be ...`. */
export function formatFieldError(e: FieldError): string {
  switch (e.type) {
    case "Invalid":
      return `${e.field}: Invalid value: ${formatValue(e.value)}${e.detail ? `: ${e.detail}` : ""}`;
    case "Required":
      return `${e.field}: Required value${e.detail ? `: ${e.detail}` : ""}`;
    case "Unsupported":
      return `${e.field}: Unsupported value: ${formatValue(e.value)}${
        e.supported ? `: supported values: ${e.supported.map((s) => JSON.stringify(s)).join(", ")}` : ""
      }`;
    case "Duplicate":
      return `${e.field}: Duplicate value: ${formatValue(e.value)}`;
    case "Forbidden":
      return `${e.field}: Forbidden${e.detail ? `: ${e.detail}` : ""}`;
    case "TooLong":
      return `${e.field}: Too long${e.detail ? `: ${e.detail}` : ""}`;
    case "TooMany":
      return `${e.field}: Too many${e.detail ? `: ${e.detail}` : ""}`;
    case "NotFound":
      return `${e.field}: Not found: ${formatValue(e.value)}`;
  }
}

export type ApiErrorReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "BadRequest"
  | "Forbidden"
  | "TooManyRequests"
  | "InternalError";

const CODES: Record<ApiErrorReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Forbidden: 403,
  TooManyRequests: 429,
  InternalError: 500,
};

type ErrorWithLimit = { stackTraceLimit?: number };

/** Sets V8's Error.stackTraceLimit (where there is one); returns the previous value. */
export function stackTraceLimit(n: number | undefined): number | undefined {
  const e = Error as ErrorWithLimit;
  const prev = e.stackTraceLimit;
  if (prev !== undefined && n !== undefined) e.stackTraceLimit = n;
  return prev;
}

/** An error returned by the simulated apiserver (a metav1.Status with a reason). */
export class ApiError extends Error {
  readonly reason: ApiErrorReason;
  readonly code: number;
  readonly fieldErrors: FieldError[];

  constructor(reason: ApiErrorReason, message: string, fieldErrors: FieldError[] = []) {
    // An apiserver error is an answer (Conflict, NotFound), not a bug: a stack trace would cost
    // more than the request (controllers meet thousands of Conflicts in large runs).
    const limit = stackTraceLimit(0);
    super(message);
    stackTraceLimit(limit);
    this.name = "ApiError";
    this.reason = reason;
    this.code = CODES[reason];
    this.fieldErrors = fieldErrors;
  }
}

/** `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be ...` */
export function invalidError(qualifiedKind: string, name: string, errs: FieldError[]): ApiError {
  const list = errs.map(formatFieldError);
  const body = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  return new ApiError("Invalid", `${qualifiedKind} "${name}" is invalid: ${body}`, errs);
}
