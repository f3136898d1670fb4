/** Field paths: `spec.actions[2].at` as data, and Kubernetes' printed paths parsed back into data. */

/** A path into a document: property names and list indexes. */
export type Path = readonly (string | number)[];

const IDENT = /^[A-Za-z_$][\w$-]*$/;

/** Prints a path the way Kubernetes' field.Path does: `spec.containers[0].image`, `images[nginx:*]`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${seg}]`;
  }
  return out;
}

/**
 * Parses a Kubernetes field path (`spec.template.spec.containers[0].image`,
 * `metadata.labels[app.kubernetes.io/name]`) into segments; bracketed digits become indexes.
 */
export function parseFieldPath(text: string): Path {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ".") {
      i++;
      continue;
    }
    if (text[i] === "[") {
      const end = text.indexOf("]", i);
      const inner = end < 0 ? text.slice(i + 1) : text.slice(i + 1, end);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== "." && text[j] !== "[") j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}
