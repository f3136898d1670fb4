// A small JSON Schema (draft-07) checker for the keywords scenario.schema.json uses, so tests can
// show that the schema accepts real scenario files and rejects typos as an editor would.

type Json = Record<string, any>;

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "integer":
      return Number.isInteger(v);
    case "number":
      return typeof v === "number";
    default:
      return typeof v === type;
  }
}

/** The JSON paths where `value` fails `schema` (empty when it conforms). */
export function jsonSchemaErrors(schema: Json, value: unknown, root: Json = schema, path = "$"): string[] {
  if (schema.$ref) return jsonSchemaErrors(root.definitions[schema.$ref.split("/").pop()], value, root, path);
  const errs: string[] = [];
  const sub = (s: Json, v: unknown, p = path): string[] => jsonSchemaErrors(s, v, root, p);
  if (schema.type && !typeOk(schema.type, value)) return [`${path}: not ${schema.type}`];
  if ("const" in schema && value !== schema.const) errs.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) errs.push(`${path}: not in enum`);
  if (typeof value === "string") {
    if (schema.pattern && !new RegExp(schema.pattern).test(value))
      errs.push(`${path}: does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) errs.push(`${path}: too short`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errs.push(`${path}: too long`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errs.push(`${path}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) errs.push(`${path}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(`${path}: too many items`);
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(`${path}: too few items`);
    if (schema.items) {
      for (const [i, x] of value.entries()) errs.push(...sub(schema.items, x, `${path}[${i}]`));
    }
  }
  if (typeOk("object", value)) errs.push(...objectErrors(schema, value as Json, root, path));
  if (schema.anyOf && !schema.anyOf.some((s: Json) => sub(s, value).length === 0))
    errs.push(`${path}: matches no anyOf`);
  if (schema.oneOf && schema.oneOf.filter((s: Json) => sub(s, value).length === 0).length !== 1) {
    errs.push(`${path}: does not match exactly one of oneOf`);
  }
  if (schema.if) errs.push(...sub(sub(schema.if, value).length === 0 ? schema.then : schema.else, value));
  return errs;
}

function objectErrors(schema: Json, value: Json, root: Json, path: string): string[] {
  const errs: string[] = [];
  for (const k of schema.required ?? []) if (!(k in value)) errs.push(`${path}: missing ${k}`);
  if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties)
    errs.push(`${path}: too many properties`);
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}.${k}`;
    if (schema.propertyNames) errs.push(...jsonSchemaErrors(schema.propertyNames, k, root, p));
    if (schema.properties && k in schema.properties)
      errs.push(...jsonSchemaErrors(schema.properties[k], v, root, p));
    else if (schema.additionalProperties === false) errs.push(`${p}: unknown property`);
    else if (typeof schema.additionalProperties === "object")
      errs.push(...jsonSchemaErrors(schema.additionalProperties, v, root, p));
  }
  return errs;
}
