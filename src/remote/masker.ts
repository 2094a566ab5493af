// Scrubs registered secret values from every line the SSH layer logs, throws or streams.
import { shellQuote } from './quote';

export const MASK = '••••';

/** Secrets shorter than this are masked only where they stand as a whole token (see register). */
const SHORT_SECRET_LENGTH = 3;

export class Masker {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];
  private shortPattern: RegExp | undefined;

  /**
   * Registers a secret; its raw, trimmed and shell-quoted forms are masked from now on.
   *
   * Decision on short secrets (1–2 characters, e.g. a lab VM's sudo password): they are masked too, but only
   * where they stand as a whole token — not next to a letter or digit — because masking every occurrence of
   * "ab" inside words would wreck ordinary output, while skipping them (as this class once did) let
   * `password: ab` through. Refusing to store them would not help: the password belongs to a machine the user
   * may not control.
   */
  register(secret: string | undefined): void {
    if (!secret) return;
    const forms = [secret, secret.trim()];
    if (!secret.includes('\0')) forms.push(shellQuote(secret));
    let added = false;
    for (const form of forms) {
      if (form === '' || this.secrets.has(form)) continue;
      this.secrets.add(form);
      added = true;
    }
    if (!added) return;
    // Longest first, so a secret that contains another is masked whole.
    this.ordered = [...this.secrets]
      .filter((s) => s.length >= SHORT_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
    const short = [...this.secrets]
      .filter((s) => s.length < SHORT_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
    this.shortPattern = short.length
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${short.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'gu')
      : undefined;
  }

  mask(text: string): string {
    let out = text;
    for (const secret of this.ordered) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    if (this.shortPattern) out = out.replace(this.shortPattern, MASK);
    return out;
  }

  /**
   * A copy of a JSON-like value (plain objects, arrays) with every string value masked. Keys, numbers,
   * booleans and null stay as they are: masking serialized JSON instead let a secret such as `1000`, `type`
   * or `"` corrupt the structure itself.
   */
  maskDeep<T>(value: T): T {
    if (typeof value === 'string') return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.maskDeep(item)) as T;
    if (isPlainObject(value)) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = this.maskDeep(item);
      return copy as T;
    }
    return value;
  }

  /** How many forms (raw, trimmed, quoted) of the registered secrets are masked. */
  get size(): number {
    return this.secrets.size;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
