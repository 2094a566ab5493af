// Scrubs registered secret values from every line the SSH layer logs, throws or streams.
import { shellQuote } from './quote';

export const MASK = '••••';

export class Masker {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];

  /** Registers a secret; its raw form and its shell-quoted form are masked from now on. */
  register(secret: string | undefined): void {
    if (!secret) return;
    const forms = [secret, secret.trim()];
    if (!secret.includes('\0')) forms.push(shellQuote(secret));
    let added = false;
    for (const form of forms) {
      // Very short values would mask ordinary text everywhere; they are still never logged on purpose.
      if (form.length < 3 || this.secrets.has(form)) continue;
      this.secrets.add(form);
      added = true;
    }
    // Longest first, so a secret that contains another is masked whole.
    if (added) this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const secret of this.ordered) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }

  get size(): number {
    return this.secrets.size;
  }
}
