// The wizard's input fields: which secrets it asks for, whether each is stored (never its value), what the
// user typed being checked and stored under the spec's name, "Change", and a secret stored for another
// cluster offered only with consent. The controller owns the view; this keeps the fields' own state.
import type { ClusterContext, ClusterIdentity } from '../clusters';
import { inputSecrets, inputsFor, type InputSecrets, type InputSpec } from './inputs';
import type { InputKey, InputView, WizardKind, WizardView } from './protocol';
import { inputKindOf, normalizeInput, validateInput } from './protocol';
import type { WizardAction } from './state';

/** What the fields need from the editor (ControllerOptions carries them). */
export interface InputFieldsOptions {
  /** Other clusters with a secret of this name stored (offered for a missing input, with consent). */
  secretsElsewhere?: (context: ClusterContext, name: string) => ClusterIdentity[];
  /** A modal question; true when the user chose `action`. */
  confirm?: (message: string, detail: string, action: string) => Promise<boolean>;
  /** How a spec file is shown to the user (workspace-relative). */
  labelOf?: (specPath: string) => string;
}

export interface InputFieldsHost {
  kind: WizardKind;
  context(): ClusterContext | undefined;
  view(): WizardView;
  dispatch(action: WizardAction): void;
  options: InputFieldsOptions;
}

export class InputFields {
  private readonly editing = new Set<InputKey>();
  private readonly inputErrors = new Map<InputKey, string>();
  /** The notice on screen asks for inputs (this text): it follows them as they are stored. */
  private asking: string | undefined;
  /** Set by the preflight when `sudo -n` is refused on a node. */
  sudoNeeded = false;

  constructor(private readonly host: InputFieldsHost) {}

  private secrets(): InputSecrets | undefined {
    const context = this.host.context();
    return context && inputSecrets(context);
  }

  /** The fields this wizard asks for now (they follow the spec and what the preflight found). */
  private inputSpecs(kind: WizardKind | 'fix' = this.host.kind): InputSpec[] {
    const model = this.host.context()?.model;
    return model ? inputsFor(kind, model, { sudoNeeded: this.sudoNeeded }) : [];
  }

  /** Re-reads which inputs are stored; never reads the values into the view. */
  async refresh(): Promise<void> {
    const secrets = this.secrets();
    if (!secrets) return this.host.dispatch({ type: 'inputs', inputs: [] });
    const inputs: InputView[] = [];
    for (const spec of this.inputSpecs()) {
      const stored = await secrets.isStored(spec);
      const elsewhere = stored ? undefined : this.storedElsewhere(spec)[0];
      inputs.push({
        key: spec.key,
        label: spec.label,
        secretName: spec.secretName,
        required: spec.required,
        ...(spec.optionalNote ? { optionalNote: spec.optionalNote } : {}),
        stored,
        editing: this.editing.has(spec.key) || !stored,
        ...(this.inputErrors.has(spec.key) ? { error: this.inputErrors.get(spec.key) } : {}),
        ...(elsewhere ? { elsewhere: this.clusterLabel(elsewhere) } : {}),
      });
    }
    this.host.dispatch({ type: 'inputs', inputs });
    // A notice that asked for inputs goes once they are there (or names what is still missing).
    if (this.asking !== undefined && this.host.view().notice === this.asking)
      this.host.dispatch({ type: 'notice', text: this.missingNotice() });
  }

  /**
   * What the required inputs not stored need, or undefined when none is missing: "Enter … first.", and for a
   * value typed but refused, that it was not saved (the field says why; "Enter …" would contradict it).
   */
  missingNotice(): string | undefined {
    const specs = this.inputSpecs();
    const missing = this.host.view().inputs.filter((i) => i.required && !i.stored);
    const nouns = (inputs: InputView[]) =>
      inputs.map((i) => specs.find((spec) => spec.key === i.key)?.noun ?? i.label).join(' and ');
    const refused = missing.filter((i) => i.error !== undefined);
    const absent = missing.filter((i) => i.error === undefined);
    const parts = [
      refused.length
        ? `${capitalized(nouns(refused))} you typed ${refused.length === 1 ? 'was' : 'were'} not saved: ` +
          `correct ${refused.length === 1 ? 'it' : 'them'} in the field marked in red.`
        : '',
      absent.length ? `Enter ${nouns(absent)} first.` : '',
    ];
    this.asking = missing.length ? parts.filter(Boolean).join(' ') : undefined;
    return this.asking;
  }

  /** Validates and stores an input under its secret's name; the value goes nowhere else. */
  async submit(key: InputKey, raw: string): Promise<boolean> {
    const ok = await this.store(key, raw);
    await this.refresh();
    return ok;
  }

  async store(key: InputKey, raw: string): Promise<boolean> {
    const secrets = this.secrets();
    const value = normalizeInput(key, raw);
    const spec = this.inputSpecs().find((i) => i.key === key);
    const error = !spec ? 'This wizard does not use that input.' : validateInput(key, value);
    if (error || !secrets || !spec) {
      this.inputErrors.set(key, error ?? 'The spec has no usable GatewayCluster document.');
      return false;
    }
    await secrets.store(spec, value);
    this.inputErrors.delete(key);
    this.editing.delete(key);
    return true;
  }

  /** Clusters other than this one with the input's secret stored (the sudo entry is never shared). */
  private storedElsewhere(spec: InputSpec): ClusterIdentity[] {
    const context = this.host.context();
    if (!context || !this.host.options.secretsElsewhere || inputKindOf(spec.key) === 'sudoPassword')
      return [];
    return this.host.options.secretsElsewhere(context, spec.secretName);
  }

  private clusterLabel(identity: { name: string; specPath: string }): string {
    return `${identity.name} (${this.host.options.labelOf?.(identity.specPath) ?? identity.specPath})`;
  }

  /**
   * Uses a secret stored for another cluster, once the user agreed to a question that names both clusters
   * and the hosts the value would go to (a cloned spec may name any secret: it must not get one silently).
   */
  async useStoredElsewhere(key: InputKey): Promise<boolean> {
    const context = this.host.context();
    const spec = this.inputSpecs().find((i) => i.key === key);
    const holder = spec && this.storedElsewhere(spec)[0];
    if (!context || !spec || !holder || !this.host.options.confirm) {
      await this.refresh();
      return false;
    }
    const model = context.model;
    const hosts = model.nodes.map((n) => `${n.hostname} (${n.address})`).join(', ');
    const agreed = await this.host.options.confirm(
      `Use the secret “${spec.secretName}” stored for cluster ${holder.name} in cluster ${model.name}?`,
      [
        `Stored for: ${this.clusterLabel(holder)}`,
        `To be used by: ${this.clusterLabel(context.identity)}`,
        `It would go to: ${hosts}`,
        'A cloned repository’s cluster.yaml can name any secret: agree only when both clusters are yours.',
      ].join('\n'),
      `Use it for ${model.name}`,
    );
    const copied = agreed && (await context.secrets.copyFrom(holder, spec.secretName));
    await this.refresh();
    return copied;
  }

  /** "Change": ask for a stored input again (the stored value stays until a new one is given). */
  async change(key: InputKey): Promise<void> {
    this.editing.add(key);
    await this.refresh();
  }
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
