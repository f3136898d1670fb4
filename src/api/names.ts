/** Name and key validators worded as apimachinery's util/validation, and the generated-name rules. */

// The formats and messages below are Kubernetes' (apimachinery/pkg/util/validation); the
// messages are part of kubesim's contract because users compare them with a real cluster.
const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
const PERCENT_FMT = "[0-9]+%";

const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const QNAME_RE = new RegExp(`^${QNAME_FMT}$`);
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const CONFIG_KEY_RE = new RegExp(`^${CONFIG_KEY_FMT}$`);
const PERCENT_RE = new RegExp(`^${PERCENT_FMT}$`);
const PORT_NAME_CHARSET_RE = /^[-a-z0-9]+$/;
const PORT_NAME_LETTER_RE = /[a-z]/;

/** Maximum length of a DNS-1123 or DNS-1035 label, of a label value and of a label key's name part. */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** Maximum length of a DNS-1123 subdomain (most object names). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/** The alphabet of generateName suffixes (apiserver's SimpleNameGenerator, no vowels, no confusables). */
export const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
/** generateName bases are cut to this length before the 5-character random suffix (63 - 5). */
export const MAX_GENERATED_NAME_LENGTH = 58;
/** Length of the random suffix that generateName appends. */
export const GENERATED_SUFFIX_LENGTH = 5;

/** `must be no more than N characters`, apimachinery's MaxLenError. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** apimachinery's RegexError: the message, the examples, then the regex. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  // Kubernetes joins examples as "'a', " + " or " + "'b', " — hence the double space; kept verbatim.
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${fmt}')`;
}

/** `must be between LO and HI, inclusive`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** Validates a lowercase RFC 1123 label (container names, namespace names, ...). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) {
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push("must not contain dots");
    else {
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          "my-name",
          "123-abc",
        ),
      );
    }
  }
  return errs;
}

/** Validates a lowercase RFC 1123 subdomain (most object names). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        "example.com",
      ),
    );
  }
  return errs;
}

/** Validates an RFC 1035 label (Service names). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1035_LABEL_RE.test(value)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        "my-name",
        "abc-123",
      ),
    );
  }
  return errs;
}

const QNAME_ERR_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Validates a qualified name, i.e. a label key: `[prefix/]name` (Kubernetes v1.33 wording). */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    errs.push(
      `a qualified name ${regexError(QNAME_ERR_MSG, QNAME_FMT, "MyName", "my.name", "123-abc")}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    return errs;
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > DNS1123_LABEL_MAX_LENGTH)
    errs.push(`name part ${maxLenError(DNS1123_LABEL_MAX_LENGTH)}`);
  if (!QNAME_RE.test(name)) {
    errs.push(`name part ${regexError(QNAME_ERR_MSG, QNAME_FMT, "MyName", "my.name", "123-abc")}`);
  }
  return errs;
}

/** Validates a label value (empty is allowed). */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        "MyValue",
        "my_value",
        "12345",
      ),
    );
  }
  return errs;
}

/** Validates a ConfigMap or Secret data key. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_KEY_RE.test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_KEY_FMT,
        "key.name",
        "KEY_NAME",
        "key-name",
      ),
    );
  }
  if (value === ".") errs.push("must not be '.'");
  else if (value === "..") errs.push("must not be '..'");
  else if (value.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

/** Validates a named port (IANA_SVC_NAME): at most 15 characters, [-a-z0-9], at least one letter. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!PORT_NAME_CHARSET_RE.test(port))
    errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!PORT_NAME_LETTER_RE.test(port)) errs.push("must contain at least one letter (a-z)");
  if (port.includes("--")) errs.push("must not contain consecutive hyphens");
  if (port.length > 0 && (port.startsWith("-") || port.endsWith("-")))
    errs.push("must not begin or end with a hyphen");
  return errs;
}

/** Validates a port number, 1..65535. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** Validates a percent string such as `25%` (no sign, no decimals). */
export function isValidPercent(percent: string): string[] {
  if (PERCENT_RE.test(percent)) return [];
  return [
    regexError(
      "a valid percent string must be a numeric string followed by an ending '%'",
      PERCENT_FMT,
      "1%",
      "93%",
    ),
  ];
}

/**
 * Validates an environment variable name the relaxed way (RelaxedEnvironmentVariableValidation,
 * on by default since v1.32): printable ASCII other than '='.
 */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push("environment variable name must be non-empty");
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3d) {
      errs.push(
        "a valid environment variable name must consist only of printable ASCII characters other than '='",
      );
      break;
    }
  }
  return errs;
}

// generateName prefixes are validated with a trailing '-' masked, since a suffix will follow it.
// Kubernetes' maskTrailingDash replaces the last two characters with "a"; kept as it is.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith("-") ? `${name.slice(0, -2)}a` : name;
}

/** NameIsDNSSubdomain: `prefix` is true when validating a generateName. */
export function nameIsDNSSubdomain(name: string, prefix: boolean): string[] {
  return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
}

/** NameIsDNSLabel: `prefix` is true when validating a generateName. */
export function nameIsDNSLabel(name: string, prefix: boolean): string[] {
  return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
}

/** NameIsDNS1035Label: `prefix` is true when validating a generateName. */
export function nameIsDNS1035Label(name: string, prefix: boolean): string[] {
  return isDNS1035Label(prefix ? maskTrailingDash(name) : name);
}

/** The name generateName produces: the base cut to 58 characters, then the random suffix. */
export function generatedName(base: string, suffix: string): string {
  return (base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base) + suffix;
}
