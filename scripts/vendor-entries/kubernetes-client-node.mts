// What dist/vendor/kubernetes-client-node.js exports: the names src/ uses at runtime (and the few the
// transport is built on), each from the client's own module, so esbuild leaves out the other generated API
// classes, attach/cp (tar) and the rest the package index pulls in: 1.2 MB minified instead of 3.5.
// A name used in src/ but missing here fails test/unit/vendor-bundle.test.ts (and the build then ships the
// whole package, with a warning); add it from the module that declares it (see the package's dist/index.js).
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
export { ListWatch } from '@kubernetes/client-node/dist/cache.js';
export { Watch } from '@kubernetes/client-node/dist/watch.js';
export { Exec } from '@kubernetes/client-node/dist/exec.js';
export { PortForward } from '@kubernetes/client-node/dist/portforward.js';
export { AddOptionsToSearchParams, Log } from '@kubernetes/client-node/dist/log.js';
export { PatchStrategy } from '@kubernetes/client-node/dist/patch.js';
export { setHeaderOptions } from '@kubernetes/client-node/dist/middleware.js';
export {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  createConfiguration,
  ResponseContext,
  ServerConfiguration,
  wrapHttpLibrary,
} from '@kubernetes/client-node/dist/gen/index.js';
