import { describe, expect, test } from "vitest";
import {
  generatedName,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  MAX_GENERATED_NAME_LENGTH,
  NAME_ALPHABET,
  nameIsDNSSubdomain,
} from "../../src/api/names.js";

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe("DNS names are validated with apimachinery's messages", () => {
  test.each(["example.com", "a", "web-0", "1.2.3", "a".repeat(253)])("subdomain %s is valid", (v) => {
    expect(isDNS1123Subdomain(v)).toEqual([]);
  });

  test.each(["Web", "-a", "a-", "a..b", "a_b", ""])("subdomain %j is rejected", (v) => {
    expect(isDNS1123Subdomain(v)).toEqual([SUBDOMAIN_MSG]);
  });

  test("a subdomain over 253 characters gets the length error too", () => {
    expect(isDNS1123Subdomain("a".repeat(254))).toEqual(["must be no more than 253 characters"]);
  });

  test("a label with dots that would be a valid subdomain says so", () => {
    expect(isDNS1123Label("a.b")).toEqual(["must not contain dots"]);
    expect(isDNS1123Label("My_Name")).toEqual([LABEL_MSG]);
    expect(isDNS1123Label("a".repeat(64))).toEqual(["must be no more than 63 characters"]);
    expect(isDNS1123Label("123-abc")).toEqual([]);
  });

  test("a DNS-1035 label must start with a letter", () => {
    expect(isDNS1035Label("1web")).toEqual([DNS1035_MSG]);
    expect(isDNS1035Label("web-1")).toEqual([]);
  });

  test("a generateName prefix may end with a dash", () => {
    expect(nameIsDNSSubdomain("web-", true)).toEqual([]);
    expect(nameIsDNSSubdomain("web-", false)).toEqual([SUBDOMAIN_MSG]);
  });
});

describe("label keys and values", () => {
  test.each(["app", "app.kubernetes.io/name", "k8s.io/a_b.c-d", "A1"])("key %s is valid", (k) => {
    expect(isQualifiedName(k)).toEqual([]);
  });

  test("a key with a bad name part is rejected", () => {
    expect(isQualifiedName("-app")).toEqual([QNAME_NAME_MSG]);
    expect(isQualifiedName("")).toEqual(["name part must be non-empty", QNAME_NAME_MSG]);
  });

  test("a key with an empty or invalid prefix is rejected", () => {
    expect(isQualifiedName("/app")).toEqual(["prefix part must be non-empty"]);
    expect(isQualifiedName("Example.com/app")).toEqual([`prefix part ${SUBDOMAIN_MSG}`]);
  });

  test("a key with two slashes is not a qualified name", () => {
    expect(isQualifiedName("a/b/c")).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
  });

  test("label values may be empty but not padded or too long", () => {
    expect(isValidLabelValue("")).toEqual([]);
    expect(isValidLabelValue("v1.2_3-x")).toEqual([]);
    expect(isValidLabelValue("a b")).toEqual([LABEL_VALUE_MSG]);
    expect(isValidLabelValue("a".repeat(64))).toEqual(["must be no more than 63 characters"]);
  });
});

test("config keys, port names and percents follow Kubernetes' rules", () => {
  expect(isConfigMapKey("app.properties")).toEqual([]);
  expect(isConfigMapKey("..data")).toEqual(["must not start with '..'"]);
  expect(isConfigMapKey("a b")[0]).toContain("a valid config key must consist of alphanumeric characters");
  expect(isValidPortName("http")).toEqual([]);
  expect(isValidPortName("8080")).toEqual(["must contain at least one letter (a-z)"]);
  expect(isValidPortName("http--x")).toEqual(["must not contain consecutive hyphens"]);
  expect(isValidPercent("25%")).toEqual([]);
  expect(isValidPercent("25")[0]).toContain(
    "a valid percent string must be a numeric string followed by an ending '%'",
  );
});

test("generated names use a 58-character base and the vowel-free alphabet", () => {
  expect(MAX_GENERATED_NAME_LENGTH).toBe(58);
  expect(NAME_ALPHABET).toBe("bcdfghjklmnpqrstvwxz2456789");
  expect(generatedName("x".repeat(70), "abcde")).toHaveLength(63);
  expect(generatedName("web-", "k2x8p")).toBe("web-k2x8p");
});
