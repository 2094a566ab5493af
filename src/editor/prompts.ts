// The SSH layer's prompts as modal dialogs. An unknown host key is shown with its SHA256 fingerprint and
// trusted only when the user says so — never automatically.
import * as vscode from 'vscode';
import type { HostKeyQuestion, RemotePrompts } from '../remote/types';

export class ModalPrompts implements RemotePrompts {
  async confirmHostKey(question: HostKeyQuestion): Promise<boolean> {
    const trust = 'Trust and Connect';
    const answer = await vscode.window.showWarningMessage(
      `The authenticity of host ${question.node} (${question.address}:${question.port}) can't be established.`,
      {
        modal: true,
        detail: `${question.keyType} key fingerprint is ${question.fingerprint}.\n\nCompare it with the node's key (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the node) before you trust it.`,
      },
      trust,
    );
    return answer === trust;
  }

  async askPassphrase(question: { node: string; keyPath: string }): Promise<string | undefined> {
    return vscode.window.showInputBox({
      prompt: `Passphrase for ${question.keyPath} (connecting to ${question.node})`,
      password: true,
      ignoreFocusOut: true,
    });
  }
}
