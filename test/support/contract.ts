import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with a default export.
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

const DOCUMENT_ID = "https://echoes.invalid/openapi.json";
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

/** A served OpenAPI document, ready to check responses against (Ajv, JSON Schema 2020-12). */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly operations: Operation[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: { paths: Record<string, Record<string, { responses: Operation["responses"] }>> }) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    this.operations = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.entries(item).map(([method, op]) => ({
        method,
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}$`),
        responses: op.responses,
      })),
    );
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`${DOCUMENT_ID}#${pointer}`);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  /**
   * What is wrong with an answer, by the document: null when it matches. JSON bodies are checked
   * against the schema of the route, status and media type; other bodies by content type only.
   */
  problem(method: string, path: string, status: number, contentType: string, body: string): { route: string; problem: string | null } {
    const pathname = path.split("?")[0]!;
    const op = this.operations.find((o) => o.method === method.toLowerCase() && o.pattern.test(pathname));
    if (!op) {
      // An unrouted request gets the error shape with 404, like any missing thing.
      const route = `${method} (unrouted)`;
      if (status !== 404) return { route, problem: `${method} ${pathname} is not in the document, yet answered ${status}` };
      return { route, problem: this.check("/components/schemas/NotFoundError", "404 for an unrouted request", body) };
    }
    const route = `${method} ${op.template}`;
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => op.responses[k]);
    if (!key) return { route, problem: `${route} answered ${status}, which the document does not list (${Object.keys(op.responses).join(", ")})` };
    const content = op.responses[key]!.content;
    const media = contentType.split(";")[0]!.trim().toLowerCase();
    if (!content) return { route, problem: body === "" ? null : `${route} ${status} has no body in the document, yet sent ${media || "one"}` };
    if (!(media in content))
      return { route, problem: `${route} ${status} sent ${media || "no content type"}; the document lists ${Object.keys(content).join(", ")}` };
    if (!JSON_MEDIA.test(media)) return { route, problem: null };
    const pointer = `/paths/${pointerSegment(op.template)}/${op.method}/responses/${key}/content/${pointerSegment(media)}/schema`;
    return { route, problem: this.check(pointer, `${route} ${status}`, body) };
  }

  private check(pointer: string, what: string, body: string): string | null {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return `${what}: the body is not JSON: ${body.slice(0, 80)}`;
    }
    const validate = this.validator(pointer);
    if (validate(value)) return null;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
    // The body goes into test output: no bearer token in it.
    const shown = JSON.stringify(value, (key, v) => (key === "token" ? "[redacted]" : v)).slice(0, 300);
    return `${what}: the body does not match the document: ${errors.join("; ")}; body ${shown}`;
  }
}

const pointerSegment = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

/** One contract per served document text (every API of a checkout serves the same one). */
const byText = new Map<string, Contract>();
const byBase = new Map<string, Promise<Contract>>();

/** The contract of the API at `base`, read from it once (get it before the request it checks: an API may stop right after answering). */
export function contractOf(base: string): Promise<Contract> {
  let contract = byBase.get(base);
  if (!contract) {
    contract = fetch(`${base}/openapi.json`)
      .then(async (res) => {
        if (!res.ok) throw new Error(`GET ${base}/openapi.json answered ${res.status}`);
        const text = await res.text();
        let found = byText.get(text);
        if (!found) byText.set(text, (found = new Contract(JSON.parse(text))));
        return found;
      })
      .catch((err: Error) => {
        byBase.delete(base);
        throw new Error(`cannot check answers against the OpenAPI document of ${base}: ${err.message}`);
      });
    byBase.set(base, contract);
  }
  return contract;
}

/** Where the test runner collects the answers checked by every test process (one line each). */
function record(line: object): void {
  const dir = process.env.TEST_TALLY_DIR;
  if (dir) appendFileSync(join(dir, `responses-${process.pid}.ndjson`), `${JSON.stringify(line)}\n`);
}

/** Thrown when an answer does not match the document: the test that got it fails. */
export class ContractMismatch extends Error {
  override name = "ContractMismatch";
}

/**
 * Checks one answer against the API's OpenAPI document, counts it for the run's summary, and
 * throws a ContractMismatch when it does not match.
 */
export function checkAnswer(contract: Contract, method: string, path: string, status: number, headers: Headers, body: string): void {
  const { route, problem } = contract.problem(method.toUpperCase(), path, status, headers.get("content-type") ?? "", body);
  record(problem ? { route, status, problem } : { route, status });
  if (problem) throw new ContractMismatch(problem);
}
