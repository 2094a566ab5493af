// Performance-timeline names of the features' deferred load (extension.ts measures, bench/activation reads).
export const FEATURES_MARKS = {
  require: 'gatewayCluster:features:require',
  total: 'gatewayCluster:features',
};
