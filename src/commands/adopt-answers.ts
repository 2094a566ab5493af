// What "Adopt Existing Cluster…" asks — one node's address, the SSH user, how to log in — through the
// editor's input boxes, with the previous answers filled in: after a failed adopt, Try Again asks the same
// questions with what was typed, so only the wrong answer needs changing. vscode-free (the command passes the
// editor's boxes), so the unit tier tests it.
import { parseIPv4 } from '../cluster-spec/net';

export type AdoptLogin = 'agent' | 'key' | 'password';

export interface AdoptAnswers {
  address: string;
  /** Empty: the local login name, as ssh does. */
  user: string;
  login: AdoptLogin;
  identityFile?: string;
  /** Kept only for a Try Again of the same command, never stored. */
  password?: string;
}

/** The editor's boxes, as the questions need them. */
export interface AdoptAsker {
  input(options: {
    title: string;
    prompt: string;
    placeHolder?: string;
    value?: string;
    password?: boolean;
    validate?: (value: string) => string | undefined;
  }): Promise<string | undefined>;
  pick(items: readonly string[], title: string): Promise<string | undefined>;
  /** A file to choose; undefined when none was. */
  file(title: string, current?: string): Promise<string | undefined>;
}

const LOGINS: Record<AdoptLogin, string> = {
  agent: 'SSH agent or the default keys (~/.ssh/id_ed25519, id_rsa)',
  key: 'A private key file…',
  password: 'A password…',
};

/** Asks every answer (each prefilled from `previous`); undefined when the user gave up. */
export async function askAdoptAnswers(
  ui: AdoptAsker,
  previous?: AdoptAnswers,
): Promise<AdoptAnswers | undefined> {
  const address = await ui.input({
    title: 'Adopt Existing Cluster: a node of the cluster',
    prompt: "One node's SSH address: the others are found through the cluster.",
    placeHolder: '172.25.252.11',
    value: previous?.address,
    validate: (v) => (parseIPv4(v.trim()) === undefined ? 'An IPv4 address, e.g. 172.25.252.11' : undefined),
  });
  if (!address) return undefined;
  const user = await ui.input({
    title: 'Adopt Existing Cluster: SSH user',
    prompt: 'The login user on the nodes (empty: your local user name, as ssh does).',
    value: previous?.user,
  });
  if (user === undefined) return undefined;
  // The previous way to log in comes first.
  const order = (Object.keys(LOGINS) as AdoptLogin[]).sort(
    (a, b) => Number(b === previous?.login) - Number(a === previous?.login),
  );
  const choice = await ui.pick(
    order.map((l) => LOGINS[l]),
    'Adopt Existing Cluster: how to log in',
  );
  const login = order.find((l) => LOGINS[l] === choice);
  const answers: AdoptAnswers = { address: address.trim(), user: user.trim(), login: login ?? 'agent' };
  switch (login) {
    case 'agent':
      return answers;
    case 'key': {
      const identityFile = await ui.file('The SSH private key', previous?.identityFile);
      return identityFile ? { ...answers, identityFile } : undefined;
    }
    case 'password': {
      const password = await ui.input({
        title: 'Adopt Existing Cluster: SSH password',
        prompt:
          "Kept in the editor's secret storage for the adopted cluster (the spec names it as ssh.passwordSecret), never in a file.",
        password: true,
        value: previous?.login === 'password' ? previous.password : undefined,
      });
      return password ? { ...answers, password } : undefined;
    }
    default:
      return undefined;
  }
}
