// Coexistence with Red Hat's YAML extension (redhat.vscode-yaml). We contribute no yamlValidation and give it,
// for spec documents only, an empty schema through its contributor API: it then applies no SchemaStore or
// other schema to them (no wrong-schema errors, no second completion list) and reports YAML syntax alone,
// which is why our GC001 is dropped for open documents while it validates (see core/policy.ts).
import * as vscode from 'vscode';
import type { loadSpecCore } from '../spec-service';

type SpecCore = Awaited<ReturnType<typeof loadSpecCore>>;

const SCHEME = 'gateway-cluster-schema';
const SCHEMA_URI = `${SCHEME}://schema/cluster.yaml`;
const EMPTY_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Gateway cluster spec',
  description: 'Validated, completed and explained by the Gateway Clusters extension.',
});

interface RedHatYamlApi {
  registerContributor(
    schema: string,
    requestSchema: (resource: string) => string | undefined,
    requestSchemaContent: (uri: string) => string | undefined,
    label?: string,
  ): boolean;
}

let registered = false;

export async function coexistWithRedHatYaml(spec: SpecCore, log: vscode.LogOutputChannel): Promise<void> {
  if (registered) return;
  const extension = vscode.extensions.getExtension<RedHatYamlApi>('redhat.vscode-yaml');
  if (!extension) return;
  registered = true;
  try {
    const api = await extension.activate();
    if (typeof api?.registerContributor !== 'function') return;
    api.registerContributor(
      SCHEME,
      (resource) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource);
        if (!document) return undefined;
        return spec.isSpecFile(document.fileName, document.getText()) ? SCHEMA_URI : undefined;
      },
      (uri) => (uri === SCHEMA_URI ? EMPTY_SCHEMA : undefined),
      'Gateway cluster spec',
    );
    log.info(
      'Registered with redhat.vscode-yaml: specs get no schema from it (validated by Gateway Clusters).',
    );
  } catch (error) {
    log.warn(`Could not register with redhat.vscode-yaml: ${String(error)}`);
  }
}
