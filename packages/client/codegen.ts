import openapiTS, { astToString } from "openapi-typescript";

const HEADER = `// The API's types, generated from its OpenAPI document by openapi-typescript: do not edit.
// Regenerate with \`npm run client:generate\`; a test fails while this file and the served document differ.

`;

/** The TypeScript types (`paths`, `components`, `operations`) of an OpenAPI document, as a module's source. */
export async function renderTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: false, exportType: false });
  return HEADER + astToString(ast);
}

/** The document as it is committed next to the types: two-space JSON with a final newline. */
export const renderDocument = (document: object): string => `${JSON.stringify(document, null, 2)}\n`;
