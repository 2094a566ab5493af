// Wizard tabs a window reload restored. The editor hands such a panel to the serializer only when it is first
// shown, so until then the extension holds no panel for it: opening its wizard must show that tab (the
// serializer then binds it), not create a second panel beside it, whose old twin would vanish when clicked.
import * as vscode from 'vscode';
import { WIZARD_VIEW_TYPE } from './view-type';

/** How long a revealed tab may take to come back through the serializer before a new panel is opened. */
const REVIVE_TIMEOUT_MS = 5_000;

/** The commands that focus the editor groups by their column (the API has none that shows a given tab). */
const FOCUS_GROUP = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth'].map(
  (n) => `workbench.action.focus${n}EditorGroup`,
);

export class RestoredTabs {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** `boundWithTitle`: how many of the panels the extension holds carry that title. */
  constructor(private readonly boundWithTitle: (title: string) => number) {}

  /**
   * Shows the restored, not yet shown tab titled `title` and resolves true once the serializer bound it under
   * `key`; false (nothing shown) when there is no such tab, or it did not come back in time.
   */
  async reveal(key: string, title: string | undefined): Promise<boolean> {
    if (title === undefined) return false;
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => isWizardTab(tab) && tab.label === title);
    // A shown tab has been bound already; a tab beyond the panels held under this title is a restored one.
    const hidden = tabs.find((tab) => !tab.isActive);
    if (!hidden || tabs.length <= this.boundWithTitle(title)) return false;
    const revived = this.whenBound(key);
    await showTab(hidden);
    return revived;
  }

  /** The serializer bound the panel of `key`. */
  bound(key: string): void {
    for (const resolve of this.waiting.get(key) ?? []) resolve();
  }

  private whenBound(key: string): Promise<boolean> {
    return new Promise((resolve) => {
      const waiters = this.waiting.get(key) ?? new Set<() => void>();
      this.waiting.set(key, waiters);
      const done = (revived: boolean) => {
        clearTimeout(timer);
        waiters.delete(finish);
        if (!waiters.size) this.waiting.delete(key);
        resolve(revived);
      };
      const finish = () => done(true);
      const timer = setTimeout(() => done(false), REVIVE_TIMEOUT_MS);
      waiters.add(finish);
    });
  }
}

function isWizardTab(tab: vscode.Tab): boolean {
  // The editor may prefix the view type (`mainThreadWebview-…`).
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(WIZARD_VIEW_TYPE);
}

async function showTab(tab: vscode.Tab): Promise<void> {
  const group = tab.group;
  const focus = FOCUS_GROUP[group.viewColumn - 1];
  if (!group.isActive && focus) await vscode.commands.executeCommand(focus);
  await vscode.commands.executeCommand('workbench.action.openEditorAtIndex', group.tabs.indexOf(tab));
}
