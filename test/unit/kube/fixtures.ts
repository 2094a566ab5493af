/** A `microk8s config`-shaped kubeconfig whose admin user has the given (indented) fields. */
export function kubeconfigWithUser(userFields: string): string {
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0E=
    server: https://127.0.0.1:16443
  name: microk8s-cluster
contexts:
- context:
    cluster: microk8s-cluster
    user: admin
  name: microk8s
current-context: microk8s
kind: Config
users:
- name: admin
  user:
${userFields}`;
}
